import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedRequest, expectNothingOpen, harness, post, readAll, type Harness } from './support';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h, expect);
  h.reset();
});

const messages = [{ role: 'user', content: 'Say hello' }];

describe('OpenAI-compatible chat completions over fetch', () => {
  it('makes one span with the exact usage of a JSON response, and hands the caller the same response', async () => {
    h.fake.script({ usage: { inputTokens: 21, outputTokens: 5, cacheReadTokens: 4 }, text: 'hello to you all' });
    const res = await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages, max_tokens: 50 });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${h.fake.openaiBaseURL}/chat/completions`);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }>; usage: unknown };
    expect(body.choices[0]!.message.content).toBe('hello to you all');
    const [span, ...rest] = h.spans();
    expect(rest).toEqual([]);
    expect(span!.name).toBe('chat gpt-4o-mini');
    expect(span!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 50,
      'server.address': '127.0.0.1',
      'server.port': h.fake.port,
      'gen_ai.response.id': expect.any(String),
      'gen_ai.response.model': 'gpt-4o-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': 21,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.reasoning.output_tokens': 0,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
    // The request went out as the caller wrote it.
    expect(h.fake.requests[0]!.body).toEqual({ model: 'gpt-4o-mini', messages, max_tokens: 50 });
  });

  it('adds include_usage to a stream, reads the usage as it passes, and hides what it added', async () => {
    h.fake.script({ usage: { inputTokens: 12, outputTokens: 3 }, text: 'one two three' });
    const res = await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages, stream: true });
    const text = await readAll(res);
    expect(h.fake.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const events = text.split('\n\n').filter((e) => e !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)) as Record<string, unknown>);
    // No usage chunk and no `usage: null` field: what the caller gets without costtrace.
    expect(chunks.every((c) => !('usage' in c) && Array.isArray(c['choices']) && (c['choices'] as unknown[]).length === 1)).toBe(true);
    expect(chunks.map((c) => (c['choices'] as Array<{ delta: { content?: string } }>)[0]!.delta.content ?? '').join('')).toBe(
      'one two three',
    );
    const [span] = h.spans();
    expect(span!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
    expect(span!.attributes['costtrace.usage.estimated']).toBeUndefined();
  });

  it('leaves a stream that asked for include_usage untouched, byte for byte', async () => {
    h.fake.script({ usage: { inputTokens: 12, outputTokens: 3 }, text: 'one two three' });
    const request = { model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } };
    const res = await post(`${h.fake.openaiBaseURL}/chat/completions`, request);
    const text = await res.text();
    expect(text).toContain('"usage":null');
    expect(text).toMatch(/"choices":\[\],"usage":\{"prompt_tokens":12/);
    expect(h.spans()[0]!.attributes['gen_ai.usage.output_tokens']).toBe(3);
  });

  it('ends a cancelled body read as cancelled, and the request is closed', async () => {
    h.fake.script({ text: 'a b c d e f g h', chunkDelayMs: 30 });
    const res = await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages, stream: true });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
  });

  it('gives a clone the same url and bytes', async () => {
    h.fake.script({ usage: { inputTokens: 3, outputTokens: 2 } });
    const res = await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages });
    const copy = res.clone();
    expect(copy.url).toBe(res.url);
    const [a, b] = await Promise.all([res.text(), copy.text()]);
    expect(a).toBe(b);
    expect(h.spans()[0]!.attributes['gen_ai.usage.output_tokens']).toBe(2);
  });

  it('records an HTTP error as an error and leaves its body to the caller', async () => {
    h.fake.script({ status: 429 });
    const res = await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBeDefined();
    expect(h.spans()[0]!.attributes).toMatchObject({ 'error.type': '429', 'costtrace.call.outcome': 'error' });
  });

  it('reads the Responses API and embeddings', async () => {
    h.fake.script({ usage: { inputTokens: 8, outputTokens: 4 } }, { usage: { inputTokens: 6 } });
    await (await post(`${h.fake.openaiBaseURL}/responses`, { model: 'gpt-4.1-mini', input: 'hi', stream: true })).text();
    await (await post(`${h.fake.openaiBaseURL}/embeddings`, { model: 'text-embedding-3-small', input: 'hi' })).json();
    expect(h.spans().map((s) => [s.name, s.attributes['gen_ai.usage.input_tokens'], s.attributes['gen_ai.usage.output_tokens']])).toEqual([
      ['chat gpt-4.1-mini', 8, 4],
      ['embeddings text-embedding-3-small', 6, undefined],
    ]);
  });

  it('reads legacy completions: JSON, and a stream whose added usage chunk is hidden', async () => {
    h.fake.script({ text: 'once upon a time', usage: { inputTokens: 4, outputTokens: 4 } }, { text: 'once upon', usage: { inputTokens: 4, outputTokens: 2 } });
    const json = (await (await post(`${h.fake.openaiBaseURL}/completions`, { model: 'gpt-3.5-turbo-instruct', prompt: 'Tell me', max_tokens: 8 })).json()) as {
      choices: Array<{ text: string }>;
    };
    expect(json.choices[0]!.text).toBe('once upon a time');
    const streamed = await readAll(await post(`${h.fake.openaiBaseURL}/completions`, { model: 'gpt-3.5-turbo-instruct', prompt: 'Tell me', stream: true }));
    expect(streamed).not.toContain('usage');
    expect(h.fake.requests[1]!.body).toMatchObject({ stream_options: { include_usage: true } });
    expect(h.spans().map((s) => [s.name, s.attributes['gen_ai.usage.input_tokens'], s.attributes['gen_ai.usage.output_tokens'], s.attributes['costtrace.call.outcome']])).toEqual([
      ['text_completion gpt-3.5-turbo-instruct', 4, 4, 'completed'],
      ['text_completion gpt-3.5-turbo-instruct', 4, 2, 'completed'],
    ]);
  });

  it('passes requests that are not model calls straight through, with no span', async () => {
    const get = await fetch(`${h.fake.openaiBaseURL}/chat/completions`);
    await get.text();
    const other = await post(`${h.fake.url}/__fake/requests`, {});
    await other.text();
    expect(h.spans()).toEqual([]);
  });
});
