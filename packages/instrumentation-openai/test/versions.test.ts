import { afterEach, describe, expect, it } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { openCallCount, unpatchedModules } from '@costtrace/pipeline';
import * as openaiEsm from 'openai';
import { OpenAIInstrumentation } from '../src/index';
import { collect, expectNothingOpen, harness, loadSdk, recordingDiag, server, type Harness } from './support';

const messages = [{ role: 'user', content: 'Hello there' }];
const nodeMajor = Number(process.versions.node.split('.')[0]);

let h: Harness | undefined;
afterEach(async () => {
  if (h) {
    expectNothingOpen(h);
    await h.close();
  }
  h = undefined;
  diag.disable();
});

async function exercise(major: 4 | 5 | 6 | 7): Promise<void> {
  const { sdk, version } = loadSdk(major);
  h = await harness(sdk, version);
  const { client } = h;

  h.fake.script({ usage: { inputTokens: 10, outputTokens: 2 } });
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages });

  h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 11 } });
  const chunks = await collect(await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
  expect(chunks.every((c: { choices: unknown[] }) => c.choices.length > 0 && !('usage' in c))).toBe(true);

  // openai 4 keeps the chat helpers under beta; 5 and later moved them to chat.completions.
  const helpers = major === 4 ? client.beta.chat.completions : client.chat.completions;
  h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 12 } });
  const runner = helpers.stream({ model: 'gpt-4o-mini', messages });
  expect((await runner.finalChatCompletion()).choices[0].message.content).toBe('lorem ipsum');
  h.fake.script({ text: 'x', usage: { inputTokens: 13 } });
  await helpers.parse({ model: 'gpt-4o-mini', messages });

  h.fake.script({ usage: { inputTokens: 14, outputTokens: 2 } });
  await client.responses.create({ model: 'gpt-5-mini', input: 'Say hi' });
  h.fake.script({ text: 'lorem', usage: { inputTokens: 15, outputTokens: 1 } });
  await collect(await client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', stream: true }));

  h.fake.script({ usage: { inputTokens: 16 } });
  await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });

  h.fake.script({ usage: { inputTokens: 17 } });
  const raw = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).asResponse();
  await raw.text();

  const spans = h.spans();
  expect(spans.map((s) => [s.name, s.attributes['gen_ai.usage.input_tokens'], s.attributes['costtrace.call.outcome']])).toEqual([
    ['chat gpt-4o-mini', 10, 'completed'],
    ['chat gpt-4o-mini', 11, 'completed'],
    ['chat gpt-4o-mini', 12, 'completed'],
    ['chat gpt-4o-mini', 13, 'completed'],
    ['chat gpt-5-mini', 14, 'completed'],
    ['chat gpt-5-mini', 15, 'completed'],
    ['embeddings text-embedding-3-small', 16, 'completed'],
    ['chat gpt-4o-mini', 9, 'completed'], // asResponse: our estimate
  ]);
  expect(h.fake.requests).toHaveLength(8);
}

// Each case loads a whole SDK major from disk: ~2 s idle, past vitest's 5 s default on a loaded machine.
describe('supported majors', { timeout: 30_000 }, () => {
  it('patches openai 4 (APIPromise without a client, Stream without tee queues, helpers under beta)', () => exercise(4));
  it('patches openai 5', () => exercise(5));
  it('patches openai 6', () => exercise(6));
  // openai 7 requires Node >= 22; this leg runs on the Node 26 CI job.
  it.skipIf(nodeMajor < 22)('patches openai 7 (tee queues, stream modes)', () => exercise(7));

  it('patches the ESM namespace of openai through its classes', async () => {
    const version = (openaiEsm as unknown as { VERSION?: string }).VERSION ?? '6.49.0';
    h = await harness(openaiEsm, version);
    h.fake.script({ usage: { inputTokens: 10, outputTokens: 2 } });
    await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(h.onlySpan().attributes['gen_ai.usage.input_tokens']).toBe(10);
  });

  it('unpatches cleanly', async () => {
    const { sdk, version } = loadSdk(5);
    h = await harness(sdk, version);
    h.instrumentation.getModuleDefinitions()[0]!.unpatch!(sdk, version);
    await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(h.spans()).toHaveLength(0);
    expect(openCallCount()).toBe(0);
  });
});

// openai 7 requires Node >= 22; these run on the Node 26 CI job.
describe.skipIf(nodeMajor < 22)('openai 7 helpers built on _thenUnwrap', () => {
  // openai 7's OpenAI.responsePromise() gives each APIPromise its own _thenUnwrap, whose
  // child parses through a captured function and never calls the parent's parseResponse.
  const request = (model: string) => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    ...server(h!),
  });
  const response = (id: string, model: string) => ({
    'gen_ai.response.id': id,
    'gen_ai.response.model': model,
    'openai.response.service_tier': 'default',
  });
  const usage = (input: number, output: number) => ({
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': output,
    'gen_ai.usage.cache_read.input_tokens': 0,
    'gen_ai.usage.reasoning.output_tokens': 0,
  });

  it('chat.completions.parse() records the completion its child parses', async () => {
    const { sdk, version } = loadSdk(7);
    h = await harness(sdk, version);
    h.fake.script({ text: '{"a":1}', usage: { inputTokens: 30, outputTokens: 6 } });
    const parsed = await h.client.chat.completions.parse({ model: 'gpt-4o-mini', messages, response_format: { type: 'json_object' } });
    expect(parsed.choices[0].message.content).toBe('{"a":1}');
    expect(parsed.choices[0].message.parsed).toBeNull(); // json_object is not parsed; only json_schema is
    expect(h.onlySpan().attributes).toEqual({
      ...request('gpt-4o-mini'),
      ...response(`chatcmpl-fake${h.fake.requests[0]!.seq}`, 'gpt-4o-mini'),
      ...usage(30, 6),
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('ends the span of chat.completions.parse() with the error its child fails with', async () => {
    const { sdk, version } = loadSdk(7);
    h = await harness(sdk, version);
    h.fake.script({ rawBody: '{"truncated":', headers: { 'content-type': 'application/json' } });
    await expect(h.client.chat.completions.parse({ model: 'gpt-4o-mini', messages })).rejects.toThrow(SyntaxError);
    expect(h.onlySpan().attributes).toEqual({
      ...request('gpt-4o-mini'),
      'gen_ai.response.finish_reasons': ['error'],
      'error.type': 'SyntaxError',
      'costtrace.call.outcome': 'error',
    });
  });

  it('responses.stream() records the stream its child hands over', async () => {
    const { sdk, version } = loadSdk(7);
    h = await harness(sdk, version);
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 40, outputTokens: 3 } });
    const stream = h.client.responses.stream({ model: 'gpt-5-mini', input: 'Say hi' });
    expect((await stream.finalResponse()).output_text).toBe('lorem ipsum');
    expect(h.onlySpan().attributes).toEqual({
      ...request('gpt-5-mini'),
      ...response(`resp_fake${h.fake.requests[0]!.seq}`, 'gpt-5-mini'),
      ...usage(40, 3),
      'gen_ai.response.finish_reasons': ['completed'],
      'costtrace.call.outcome': 'completed',
    });
  });
});

describe('unsupported versions', () => {
  it('leaves openai 99 unpatched with one warning and reports it', () => {
    const logger = recordingDiag();
    diag.setLogger(logger, DiagLogLevel.WARN);
    const { sdk } = loadSdk(5);
    const fake = { OpenAI: { Chat: { Completions: { prototype: { create: () => 1 } } } } };
    const create = fake.OpenAI.Chat.Completions.prototype.create;
    const inst = new OpenAIInstrumentation({ enabled: false });
    const definition = inst.getModuleDefinitions()[0]!;
    definition.patch!(fake, '99.0.0');
    definition.patch!(fake, '99.0.0');
    expect(fake.OpenAI.Chat.Completions.prototype.create).toBe(create);
    expect(logger.warnings.filter((w) => w.join(' ').includes('99.0.0'))).toHaveLength(1);
    expect(unpatchedModules()).toContainEqual({
      module: 'openai',
      version: '99.0.0',
      reason: 'openai 99.0.0 is outside the supported range >=4.0.0 <8',
    });
    expect(sdk.OpenAI).toBeDefined();
  });

  it('treats 3.x and 8.0.0-beta as outside the range', () => {
    const inst = new OpenAIInstrumentation({ enabled: false });
    for (const version of ['3.3.0', '8.0.0-beta.1']) {
      const fake = { OpenAI: { Chat: { Completions: { prototype: { create: () => 1 } } } } };
      const create = fake.OpenAI.Chat.Completions.prototype.create;
      inst.getModuleDefinitions()[0]!.patch!(fake, version);
      expect(fake.OpenAI.Chat.Completions.prototype.create).toBe(create);
    }
  });
});
