import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { recordingDiag } from '@costtrace/testing';
import { unpatchedModules, clearUnpatchedModules } from '@costtrace/pipeline';
import { BedrockInstrumentation } from '../src/index';
import { clientConfig, closedRequest, expectAllEnded, harness, MESSAGES, sdk, type Harness } from './support';

const converse = () => new sdk.ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages: MESSAGES, inferenceConfig: { maxTokens: 32 } });

describe('BedrockRuntimeClient#send', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ unreadStreamTimeoutMs: 50 });
  });
  afterEach(async () => {
    expectAllEnded(h, expect);
    await h.close();
  });

  it('records one span for the callback form and hands the callback the output', async () => {
    h.fake.script({ text: 'hi', usage: { inputTokens: 12, outputTokens: 1 } });
    const output = await new Promise<any>((resolve, reject) => h.client.send(converse(), (err: unknown, out: unknown) => (err ? reject(err) : resolve(out))));
    expect(output.usage).toEqual({ inputTokens: 12, outputTokens: 1, totalTokens: 13 });
    expect(h.spans().map((s) => [s.name, s.attributes['gen_ai.usage.input_tokens'], s.attributes['costtrace.call.outcome']])).toEqual([
      ['chat amazon.nova-micro-v1:0', 12, 'completed'],
    ]);
  });

  it('records the aggregated BedrockRuntime client, whose methods call send()', async () => {
    const client = new sdk.BedrockRuntime(clientConfig(h.fake));
    await client.converse({ modelId: 'amazon.nova-micro-v1:0', messages: MESSAGES });
    client.destroy();
    expect(h.spans()).toHaveLength(1);
  });

  it('lets any other command through without a span', async () => {
    await h.client.send(new sdk.CountTokensCommand({ modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', input: { converse: { messages: MESSAGES } } })).catch(() => undefined);
    expect(h.fake.requests).toHaveLength(1);
    expect(h.spans()).toEqual([]);
  });

  it('records a service error with its class as error.type, once for the SDK\'s three attempts', async () => {
    h.fake.script({ status: 429 }, { status: 429 }, { status: 429 });
    await expect(h.client.send(converse())).rejects.toBeInstanceOf(sdk.ThrottlingException);
    expect(h.fake.requests).toHaveLength(3);
    expect(h.spans().map((s) => [s.attributes['costtrace.call.outcome'], s.attributes['error.type'], s.status.code])).toEqual([
      ['error', 'ThrottlingException', 2],
    ]);
  });

  it('charges our estimate, marked estimated, when the usage is malformed', async () => {
    h.fake.script({ text: 'one two three', rawUsage: { inputTokens: -1, outputTokens: 'x' } });
    await h.client.send(converse());
    expect(h.spans()[0]!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 29, // 10 + 10 + ceil(27 / 3)
      'gen_ai.usage.output_tokens': 6, // ceil(13 / 2.5)
      'costtrace.usage.estimated': true,
      'costtrace.call.outcome': 'completed',
    });
  });

  it('reads a Mistral InvokeModel usage from the token-count headers', async () => {
    h.fake.script({ text: 'Bonjour', usage: { inputTokens: 70, outputTokens: 9 } });
    await h.client.send(
      new sdk.InvokeModelCommand({ modelId: 'mistral.mistral-large-2402-v1:0', body: JSON.stringify({ prompt: '[INST] hi [/INST]', max_tokens: 50 }) }),
    );
    const attrs = h.spans()[0]!.attributes;
    expect([attrs['gen_ai.usage.input_tokens'], attrs['gen_ai.usage.output_tokens'], attrs['costtrace.usage.estimated']]).toEqual([70, 9, undefined]);
    expect(attrs['server.address']).toBe('127.0.0.1');
  });

  it('ends a consumer break out of a ConverseStream as cancelled, with the running estimate', async () => {
    h.fake.script({ chunks: 20, chunkDelayMs: 5 });
    const output = await h.client.send(new sdk.ConverseStreamCommand({ modelId: 'amazon.nova-micro-v1:0', messages: MESSAGES }));
    let events = 0;
    for await (const _ of output.stream!) if (++events === 3) break;
    expect(h.spans()[0]!.attributes).toMatchObject({ 'costtrace.call.outcome': 'cancelled', 'costtrace.usage.estimated': true });
    // As without costtrace, the SDK's iterator does not reset the HTTP/2 stream on `break`.
    await closedRequest(h.fake);
  });

  it('ends a stream nobody reads as cancelled and unread, with the estimated worst case', async () => {
    h.fake.script({ chunks: 2 });
    await h.client.send(new sdk.ConverseStreamCommand({ modelId: 'amazon.nova-micro-v1:0', messages: MESSAGES, inferenceConfig: { maxTokens: 32 } }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.spans()[0]!.attributes).toMatchObject({
      'costtrace.call.outcome': 'cancelled',
      'costtrace.stream.unread': true,
      'gen_ai.usage.input_tokens': 29,
      'gen_ai.usage.output_tokens': 32,
    });
  });
});

describe('patching', () => {
  it('wraps the inherited send with an own property, and unpatching removes it', () => {
    const proto = sdk.BedrockRuntimeClient.prototype as unknown as Record<string, unknown>;
    const inherited = Object.getPrototypeOf(proto).send;
    const inst = new BedrockInstrumentation({ enabled: false });
    inst.getModuleDefinitions()[0]!.patch!(sdk, '3.1164.0');
    expect(Object.prototype.hasOwnProperty.call(proto, 'send')).toBe(true);
    inst.getModuleDefinitions()[0]!.unpatch!(sdk, '3.1164.0');
    expect(Object.prototype.hasOwnProperty.call(proto, 'send')).toBe(false);
    expect(proto['send']).toBe(inherited);
  });

  it('leaves an unsupported version unpatched with one warning and a report to the budget layer', () => {
    clearUnpatchedModules();
    const recorder = recordingDiag();
    diag.setLogger(recorder, DiagLogLevel.WARN);
    try {
      const inst = new BedrockInstrumentation({ enabled: false });
      inst.getModuleDefinitions()[0]!.patch!(sdk, '3.500.0');
      expect(Object.prototype.hasOwnProperty.call(sdk.BedrockRuntimeClient.prototype, 'send')).toBe(false);
      expect(recorder.warnings.map((w) => w.join(' '))).toEqual([
        expect.stringContaining('@aws-sdk/client-bedrock-runtime left unpatched: version 3.500.0 is outside the supported range >=3.583.0 <4'),
      ]);
      expect(unpatchedModules().map((m) => m.module)).toEqual(['@aws-sdk/client-bedrock-runtime']);
    } finally {
      diag.disable();
      clearUnpatchedModules();
    }
  });
});
