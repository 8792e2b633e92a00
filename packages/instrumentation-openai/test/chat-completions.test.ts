import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { collect, expectNothingOpen, harness, loadSdk, server, type Harness } from './support';

const { sdk, version } = loadSdk(6);
const messages = [{ role: 'user', content: 'Hello there' }];
// 3 reply-priming tokens + 4 per message + 2 tokens of "Hello there" (o200k_base)
const INPUT_ESTIMATE = 9;

let h: Harness;
beforeAll(async () => {
  h = await harness(sdk, version);
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h);
  h.reset();
});

function base(model = 'gpt-4o-mini'): Record<string, unknown> {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    ...server(h),
  };
}

describe('chat.completions.create', () => {
  it('records one CLIENT span with the response, usage and finish reasons of a plain call', async () => {
    h.fake.script({ usage: { inputTokens: 120, outputTokens: 8, cacheReadTokens: 100, reasoningTokens: 3 } });
    const completion = await h.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_completion_tokens: 50,
      temperature: 0.2,
      service_tier: 'flex',
    });
    expect(completion.usage.prompt_tokens).toBe(120);
    const span = h.onlySpan();
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toEqual({
      ...base(),
      'gen_ai.request.max_tokens': 50,
      'gen_ai.request.temperature': 0.2,
      'openai.request.service_tier': 'flex',
      'gen_ai.response.id': `chatcmpl-fake${h.fake.requests[0]!.seq}`,
      'gen_ai.response.model': 'gpt-4o-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 8,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 3,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('writes the choice count and one finish reason per choice when n > 1', async () => {
    h.fake.script({ text: 'a b', usage: { inputTokens: 5 } });
    await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, n: 2 });
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.request.choice.count': 2,
      'gen_ai.response.id': `chatcmpl-fake${h.fake.requests[0]!.seq}`,
      'gen_ai.response.model': 'gpt-4o-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.reasoning.output_tokens': 0,
      'gen_ai.response.finish_reasons': ['stop', 'stop'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('never records the API key, headers or content by default', async () => {
    await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const text = JSON.stringify(h.onlySpan().attributes);
    expect(text).not.toContain('sk-test-secret');
    expect(text).not.toContain('Hello there');
    expect(text).not.toContain('lorem');
  });

  it('ends the span with error.type and status ERROR on an API error', async () => {
    h.fake.script({ status: 429, error: { message: 'slow down', code: 'rate_limit_exceeded' } });
    const err = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(sdk.RateLimitError);
    const span = h.onlySpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: expect.stringContaining('slow down') });
    expect(span.attributes).toEqual({
      ...base(),
      'error.type': 'RateLimitError',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'error',
    });
  });

  it('keeps the call working and the span ended when usage is garbage, estimating usage instead', async () => {
    h.fake.script({ text: 'lorem ipsum dolor', rawUsage: { prompt_tokens: 'many', completion_tokens: -4 } });
    const completion = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0].message.content).toBe('lorem ipsum dolor');
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.response.id': `chatcmpl-fake${h.fake.requests[0]!.seq}`,
      'gen_ai.response.model': 'gpt-4o-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': INPUT_ESTIMATE,
      'gen_ai.usage.output_tokens': 4, // "lorem ipsum dolor" in o200k_base
      'costtrace.usage.estimated': true,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('survives a response body that is not a chat completion at all', async () => {
    h.fake.script({ rawBody: '{"unexpected":true}' });
    const body = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(body).toEqual({ unexpected: true });
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.usage.input_tokens': INPUT_ESTIMATE,
      'gen_ai.usage.output_tokens': 0,
      'costtrace.usage.estimated': true,
      'gen_ai.response.finish_reasons': [],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('records the cost an OpenRouter usage block reports (usage.cost) as the provider cost', async () => {
    h.fake.script({ text: 'hi', rawUsage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13, cost: 0.0000024 } });
    await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.response.id': `chatcmpl-fake${h.fake.requests[0]!.seq}`,
      'gen_ai.response.model': 'gpt-4o-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 1,
      'costtrace.provider.cost_usd': 0.0000024,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('leaves out a provider cost that is not an amount', async () => {
    h.fake.script({ text: 'hi', rawUsage: { prompt_tokens: 12, completion_tokens: 1, cost: '0.01' } });
    await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(h.onlySpan().attributes).not.toHaveProperty('costtrace.provider.cost_usd');
  });
});

describe('chat.completions.create with stream: true', () => {
  it('injects include_usage, records the provider usage and running counts, and hides what it added', async () => {
    h.fake.script({ text: 'lorem ipsum dolor', usage: { inputTokens: 30, cacheReadTokens: 10 } });
    const stream = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const chunks = await collect(stream);
    expect(h.fake.requests[0]!.body).toMatchObject({ stream_options: { include_usage: true } });
    expect(chunks.every((c: Record<string, unknown>) => !('usage' in c))).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.response.id': `chatcmpl-fake${h.fake.requests[0]!.seq}`,
      'gen_ai.response.model': 'gpt-4o-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 10,
      'gen_ai.usage.reasoning.output_tokens': 0,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('hands the caller exactly the chunks an uninstrumented client gets', async () => {
    const reply = { id: 'chatcmpl-same', text: 'lorem ipsum dolor sit', usage: { inputTokens: 12 } };
    const plain = new sdk.OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'k', maxRetries: 0 });
    // The uninstrumented run: the same request through a client whose method is the original.
    const original = (sdk.OpenAI.Chat.Completions.prototype.create as unknown as Record<symbol, (...a: unknown[]) => unknown>)[
      Symbol.for('costtrace.wrapper.original')
    ]!;
    h.fake.script(reply, reply);
    const without = await collect(
      (await original.call(plain.chat.completions, { model: 'gpt-4o-mini', messages, stream: true })) as AsyncIterable<unknown>,
    );
    const withInst = await collect(await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
    const normalize = (chunks: unknown[]) => chunks.map((c) => ({ ...(c as object), created: 0 }));
    expect(normalize(withInst)).toEqual(normalize(without));
    expect(h.fake.requests[0]!.body).not.toHaveProperty('stream_options');
    expect(h.spans()).toHaveLength(1);
  });

  it('passes every chunk through when the caller asked for include_usage', async () => {
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 7 } });
    const stream = await h.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const last = chunks.at(-1) as { choices: unknown[]; usage: { prompt_tokens: number } };
    expect(last.choices).toEqual([]);
    expect(last.usage.prompt_tokens).toBe(7);
    expect(chunks.slice(0, -1).every((c: { usage?: unknown }) => c.usage === null)).toBe(true);
    expect(h.onlySpan().attributes['gen_ai.usage.input_tokens']).toBe(7);
  });

  it('passes the injected chunk through when hideInjectedUsageChunk is false', async () => {
    const h2 = await harness(loadSdk(5).sdk, loadSdk(5).version, { hideInjectedUsageChunk: false });
    try {
      const chunks = await collect(await h2.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
      expect((chunks.at(-1) as { choices: unknown[] }).choices).toEqual([]);
      expect(h2.onlySpan().attributes['costtrace.call.outcome']).toBe('completed');
    } finally {
      await h2.close();
    }
  });

  it('estimates usage from the running count when the stream carries none', async () => {
    h.fake.script({ text: 'lorem ipsum dolor', rawUsage: null });
    await collect(await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
    expect(h.onlySpan().attributes).toMatchObject({
      'gen_ai.usage.input_tokens': INPUT_ESTIMATE,
      'gen_ai.usage.output_tokens': 4, // "lorem" 2 + " ipsum" 1 + " dolor" 1
      'costtrace.usage.estimated': true,
      'costtrace.call.outcome': 'completed',
    });
  });
  it('records the provider cost of a stream from its usage chunk', async () => {
    h.fake.script({ text: 'lorem ipsum', rawUsage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14, cost: 0.0000031 } });
    await collect(await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
    expect(h.onlySpan().attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 12, 'costtrace.provider.cost_usd': 0.0000031 });
  });
});

describe('chat helpers', () => {
  it('chat.completions.stream() makes one span and its ChatCompletionStream works unchanged', async () => {
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 11 } });
    const runner = h.client.chat.completions.stream({ model: 'gpt-4o-mini', messages });
    const contents: string[] = [];
    runner.on('content', (delta: string) => contents.push(delta));
    const seen: unknown[] = [];
    for await (const chunk of runner) seen.push(chunk);
    const final = await runner.finalChatCompletion();
    expect(final.choices[0].message.content).toBe('lorem ipsum');
    expect(contents.join('')).toBe('lorem ipsum');
    expect(seen.every((c) => (c as { choices: unknown[] }).choices.length > 0)).toBe(true);
    expect(final.usage).toBeUndefined();
    expect(h.onlySpan().attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 11, 'costtrace.call.outcome': 'completed' });
  });

  it('chat.completions.parse() makes one span and still parses', async () => {
    h.fake.script({ text: '{"a":1}', usage: { inputTokens: 6, outputTokens: 5 } });
    const parsed = await h.client.chat.completions.parse({
      model: 'gpt-4o-mini',
      messages,
      response_format: { type: 'json_object' },
    });
    expect(parsed.choices[0].message.parsed).toBeNull(); // json_object is not parsed; only json_schema is
    expect(parsed.choices[0].message.content).toBe('{"a":1}');
    expect(h.onlySpan().attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 6,
      'gen_ai.usage.output_tokens': 5,
      'costtrace.call.outcome': 'completed',
    });
  });
});
