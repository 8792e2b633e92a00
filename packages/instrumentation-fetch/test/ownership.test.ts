import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicInstrumentation } from '@costtrace/instrumentation-anthropic';
import { BudgetExceededError, findBudgetExceededError, setCallGate } from '@costtrace/pipeline';
import { OpenAIInstrumentation } from '@costtrace/instrumentation-openai';
import { expectNothingOpen, harness, type Harness } from './support';

// The SDKs as an app loads them: openai >= 5 and @anthropic-ai/sdk send with the global fetch.
const require = createRequire(import.meta.url);
const openaiSdk = require('openai');
const openaiVersion = versionOf('openai');
const anthropicSdk = require('@anthropic-ai/sdk');
const anthropicVersion = versionOf('@anthropic-ai/sdk');

function versionOf(name: string): string {
  const main = require.resolve(name);
  const root = main.slice(0, main.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}/`.length);
  return (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
}

let h: Harness;
let openaiInst: OpenAIInstrumentation;
let anthropicInst: AnthropicInstrumentation;
beforeAll(async () => {
  h = await harness();
  openaiInst = new OpenAIInstrumentation({ enabled: false });
  openaiInst.setTracerProvider(h.provider);
  anthropicInst = new AnthropicInstrumentation({ enabled: false });
  anthropicInst.setTracerProvider(h.provider);
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h, expect);
  h.reset();
});

const inferenceSpans = (h: Harness) => h.processor.spans.filter((s) => s.attributes['gen_ai.operation.name'] !== undefined);

describe('a request an SDK-level span owns', () => {
  it('openai: the patched create makes the one span; the fetch it sends passes through', async () => {
    openaiInst.getModuleDefinitions()[0]!.patch!(openaiSdk, openaiVersion);
    try {
      const client = new openaiSdk.OpenAI({ apiKey: 'sk-test', baseURL: h.fake.openaiBaseURL, maxRetries: 0 });
      h.fake.script({ usage: { inputTokens: 7, outputTokens: 3 } }, { usage: { inputTokens: 7, outputTokens: 3 } });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const _ of stream);
      expect(inferenceSpans(h).map((s) => s.instrumentationScope.name)).toEqual([
        '@costtrace/instrumentation-openai',
        '@costtrace/instrumentation-openai',
      ]);
      expect(h.spans()).toEqual([]);
    } finally {
      openaiInst.getModuleDefinitions()[0]!.unpatch!(openaiSdk, openaiVersion);
    }
  });

  it('@anthropic-ai/sdk: the patched create makes the one span; the fetch it sends passes through', async () => {
    anthropicInst.getModuleDefinitions()[0]!.patch!(anthropicSdk, anthropicVersion);
    try {
      const client = new anthropicSdk.Anthropic({ apiKey: 'sk-ant-test', baseURL: h.fake.anthropicBaseURL, maxRetries: 0 });
      h.fake.script({ usage: { inputTokens: 7, outputTokens: 3 } });
      const stream = await client.messages.create({ model: 'claude-test-1', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const _ of stream);
      expect(inferenceSpans(h).map((s) => s.instrumentationScope.name)).toEqual(['@costtrace/instrumentation-anthropic']);
    } finally {
      anthropicInst.getModuleDefinitions()[0]!.unpatch!(anthropicSdk, anthropicVersion);
    }
  });

  it('@anthropic-ai/sdk: a model call made from the stream helper\'s listener is a call of its own', async () => {
    anthropicInst.getModuleDefinitions()[0]!.patch!(anthropicSdk, anthropicVersion);
    try {
      const client = new anthropicSdk.Anthropic({ apiKey: 'sk-ant-test', baseURL: h.fake.anthropicBaseURL, maxRetries: 0 });
      h.fake.script({ text: 'one two three', usage: { inputTokens: 7, outputTokens: 3 } }, { usage: { inputTokens: 5, outputTokens: 2 } });
      const stream = client.messages.stream({ model: 'claude-test-1', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
      let inner: Promise<unknown> | undefined;
      stream.on('text', () => {
        inner ??= fetch(`${h.fake.openaiBaseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'inner' }] }),
        }).then((r) => r.json());
      });
      await stream.finalMessage();
      await inner;
      expect(h.fake.requests.length).toBe(2);
      expect(inferenceSpans(h).map((s) => [s.instrumentationScope.name, s.attributes['gen_ai.request.model']]).sort()).toEqual([
        ['@costtrace/instrumentation-anthropic', 'claude-test-1'],
        ['@costtrace/instrumentation-fetch', 'gpt-4o-mini'],
      ]);
    } finally {
      anthropicInst.getModuleDefinitions()[0]!.unpatch!(anthropicSdk, anthropicVersion);
    }
  });

  it('openai: a model call made from the stream helper\'s listener is a call of its own', async () => {
    openaiInst.getModuleDefinitions()[0]!.patch!(openaiSdk, openaiVersion);
    try {
      const client = new openaiSdk.OpenAI({ apiKey: 'sk-test', baseURL: h.fake.openaiBaseURL, maxRetries: 0 });
      h.fake.script({ text: 'one two three', usage: { inputTokens: 7, outputTokens: 3 } }, { usage: { inputTokens: 5, outputTokens: 2 } });
      const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      let inner: Promise<unknown> | undefined;
      stream.on('content', () => {
        inner ??= fetch(`${h.fake.openaiBaseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'inner' }] }),
        }).then((r) => r.json());
      });
      await stream.finalChatCompletion();
      await inner;
      expect(h.fake.requests.length).toBe(2);
      expect(inferenceSpans(h).map((s) => [s.instrumentationScope.name, s.attributes['gen_ai.request.model']]).sort()).toEqual([
        ['@costtrace/instrumentation-fetch', 'gpt-4o'],
        ['@costtrace/instrumentation-openai', 'gpt-4o-mini'],
      ]);
    } finally {
      openaiInst.getModuleDefinitions()[0]!.unpatch!(openaiSdk, openaiVersion);
    }
  });

  it('a retry of the owned request after a failed attempt is still owned: one span', async () => {
    openaiInst.getModuleDefinitions()[0]!.patch!(openaiSdk, openaiVersion);
    try {
      const client = new openaiSdk.OpenAI({ apiKey: 'sk-test', baseURL: h.fake.openaiBaseURL, maxRetries: 1 });
      h.fake.script({ status: 500, headers: { 'retry-after-ms': '0' } }, { usage: { inputTokens: 7, outputTokens: 3 } });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      expect(h.fake.requests.length).toBe(2);
      expect(inferenceSpans(h).map((s) => s.instrumentationScope.name)).toEqual(['@costtrace/instrumentation-openai']);
    } finally {
      openaiInst.getModuleDefinitions()[0]!.unpatch!(openaiSdk, openaiVersion);
    }
  });

  it('an unpatched SDK client is traced at the wire: one span, from the fetch instrumentation', async () => {
    const client = new openaiSdk.OpenAI({ apiKey: 'sk-test', baseURL: h.fake.openaiBaseURL, maxRetries: 0 });
    h.fake.script({ usage: { inputTokens: 7, outputTokens: 3 } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream) deltas.push(JSON.stringify(chunk));
    // The caller's stream has no usage chunk: the one costtrace asked for is hidden.
    expect(deltas.some((d) => d.includes('"usage"'))).toBe(false);
    expect(inferenceSpans(h).map((s) => [s.instrumentationScope.name, s.attributes['gen_ai.usage.output_tokens']])).toEqual([
      ['@costtrace/instrumentation-fetch', 3],
    ]);
  });

  it('a refusal under an unpatched SDK is retried by the SDK as a connection error (README, Limitations)', async () => {
    const refusal = new BudgetExceededError({ scope: { traceId: 't', spanId: 's', name: 'run' }, limitUsd: 1, spentUsd: 1.5, action: 'refused' });
    const removeGate = setCallGate({
      begin: () => {
        throw refusal;
      },
    });
    try {
      const client = new openaiSdk.OpenAI({ apiKey: 'sk-test', baseURL: h.fake.openaiBaseURL, maxRetries: 1 });
      const error: unknown = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(openaiSdk.APIConnectionError);
      expect(findBudgetExceededError(error)).toBe(refusal);
      expect(h.fake.requests).toHaveLength(0);
      // One refused span per attempt: the first and the SDK's retry.
      expect(h.spans().map((s) => s.attributes['costtrace.call.outcome'])).toEqual(['budget_refused', 'budget_refused']);
    } finally {
      removeGate();
    }
  });
});
