import { afterEach, describe, expect, it } from 'vitest';
import { unpatchedModules } from '@costtrace/pipeline';
import { AnthropicInstrumentation } from '../src/index';
import { expectAllEnded, harness, loadSdk, MESSAGES, recordingDiag, type Harness } from './support';

describe('SDK versions', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    if (h) {
      expectAllEnded(h, expect);
      await h.close();
    }
    h = undefined;
  });

  it('leaves an unknown version unpatched with one warning and reports it', () => {
    const { sdk } = loadSdk(1);
    const inst = new AnthropicInstrumentation({ enabled: false });
    const diag = recordingDiag();
    (inst as any)._diag = diag;
    const before = sdk.Anthropic.Messages.prototype.create;
    inst.getModuleDefinitions()[0]!.patch!(sdk, '99.0.0');
    expect(sdk.Anthropic.Messages.prototype.create).toBe(before);
    expect(diag.warnings).toHaveLength(1);
    expect(String(diag.warnings[0]![0])).toContain('99.0.0');
    expect(unpatchedModules()).toContainEqual({
      module: '@anthropic-ai/sdk',
      version: '99.0.0',
      reason: 'version 99.0.0 is outside the supported range >=0.40.0 <2',
    });
  });

  it.each([0, 1] as const)('patches and unpatches the CommonJS build of major %i', async (major) => {
    const { sdk, version } = loadSdk(major);
    const original = sdk.Anthropic.Messages.prototype.create;
    h = await harness(sdk, version);
    expect(sdk.Anthropic.Messages.prototype.create).not.toBe(original);
    h.fake.script({ id: 'msg_v', text: 'x y', usage: { inputTokens: 90, outputTokens: 2, cacheReadTokens: 40, cacheWriteTokens: 10 } });
    const message = await h.client.messages.create({ model: 'claude-test-1', max_tokens: 32, messages: MESSAGES });
    expect(message.id).toBe('msg_v');
    h.fake.script({ text: 'x y', usage: { inputTokens: 9, outputTokens: 2 } });
    for await (const _ of h.client.beta.messages.stream({ model: 'claude-test-1', max_tokens: 32, messages: MESSAGES })) void _;
    const [plain, helper] = h.spans();
    expect(h.spans()).toHaveLength(2);
    expect(plain!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 90,
      'gen_ai.usage.cache_read.input_tokens': 40,
      'gen_ai.usage.cache_write.input_tokens': 10,
      'costtrace.call.outcome': 'completed',
    });
    expect(helper!.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 9, 'costtrace.call.outcome': 'completed' });
    await h.close();
    expect(sdk.Anthropic.Messages.prototype.create).toBe(original);
    h = undefined;
  });
});
