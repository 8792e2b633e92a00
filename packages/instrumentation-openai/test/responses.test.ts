import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { collect, expectNothingOpen, harness, loadSdk, server, type Harness } from './support';

const { sdk, version } = loadSdk(6);

let h: Harness;
beforeAll(async () => {
  h = await harness(sdk, version);
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h);
  h.reset();
});

function base(): Record<string, unknown> {
  return { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-5-mini', ...server(h) };
}

function respId(): string {
  return `resp_fake${h.fake.requests[0]!.seq}`;
}

describe('responses.create', () => {
  it('records usage, cache and reasoning parts, status and service tier of a plain call', async () => {
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 50, outputTokens: 9, cacheReadTokens: 20, reasoningTokens: 7 }, serviceTier: 'flex' });
    const response = await h.client.responses.create({
      model: 'gpt-5-mini',
      input: 'Say hi',
      instructions: 'Be brief',
      max_output_tokens: 100,
      service_tier: 'flex',
    });
    expect(response.output_text).toBe('lorem ipsum'); // the SDK's own _thenUnwrap step still runs
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.request.max_tokens': 100,
      'openai.request.service_tier': 'flex',
      'gen_ai.response.id': respId(),
      'gen_ai.response.model': 'gpt-5-mini',
      'openai.response.service_tier': 'flex',
      'gen_ai.usage.input_tokens': 50,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.usage.cache_read.input_tokens': 20,
      'gen_ai.usage.reasoning.output_tokens': 7,
      'gen_ai.response.finish_reasons': ['completed'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('uses the incomplete reason as the finish reason', async () => {
    h.fake.script({ text: 'lorem ipsum dolor', finishReason: 'length', usage: { inputTokens: 5, outputTokens: 3 } });
    await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi' });
    expect(h.onlySpan().attributes['gen_ai.response.finish_reasons']).toEqual(['max_output_tokens']);
  });

  it('streams without stream_options, takes usage from response.completed and passes every event through', async () => {
    h.fake.script({ text: 'lorem ipsum dolor', usage: { inputTokens: 40, outputTokens: 3 } });
    const stream = await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', stream: true });
    const events = await collect(stream);
    expect(h.fake.requests[0]!.body).not.toHaveProperty('stream_options');
    expect(events.map((e: { type: string }) => e.type)).toContain('response.completed');
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.response.id': respId(),
      'gen_ai.response.model': 'gpt-5-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.reasoning.output_tokens': 0,
      'gen_ai.response.finish_reasons': ['completed'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('counts output deltas while streaming and keeps the count when the consumer breaks', async () => {
    h.fake.script({ text: 'lorem ipsum dolor sit amet', chunkDelayMs: 20 });
    let deltas = 0;
    for await (const event of await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', stream: true })) {
      if (event.type === 'response.output_text.delta' && ++deltas === 2) break;
    }
    expect(h.onlySpan().attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 9, // 3 priming + 4 for the message + 2 ("Say hi")
      'gen_ai.usage.output_tokens': 3, // "lorem" 2 + " ipsum" 1
      'costtrace.usage.estimated': true,
      'costtrace.call.outcome': 'cancelled',
    });
    expect((await h.fake.waitForClose(h.fake.requests[0]!.id)).clientClosedEarly).toBe(true);
  });

  it("ends as error when the stream sends an error event (openai 4-6 hand it over as an event)", async () => {
    h.fake.script({ text: 'lorem ipsum dolor', streamError: { afterChunks: 1, message: 'overloaded', code: 'server_error' } });
    const events = await collect(await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', stream: true }));
    expect(events.at(-1)).toMatchObject({ type: 'error', message: 'overloaded' });
    const span = h.onlySpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'overloaded' });
    expect(span.attributes).toMatchObject({ 'error.type': 'server_error', 'costtrace.call.outcome': 'error' });
  });

  it('charges nothing for a stream that ends in an error event: the provider billed nothing', async () => {
    h.fake.script({ text: 'lorem ipsum dolor', streamError: { afterChunks: 1, message: 'overloaded', code: 'server_error' } });
    await collect(await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', stream: true }));
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.response.id': respId(),
      'gen_ai.response.model': 'gpt-5-mini',
      'openai.response.service_tier': 'default',
      // Not our estimate of the prompt and the one delta: the provider's word that nothing was billed.
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'error.type': 'server_error',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'error',
    });
  });

  it('charges nothing for a stream whose error event the SDK throws (the API nests the error)', async () => {
    // As recorded from api.openai.com (vercel/ai openai-error fixture): the SDK throws this event.
    const created = { id: 'resp_e1', object: 'response', status: 'in_progress', model: 'gpt-5-mini', output: [], usage: null, error: null, service_tier: 'auto' };
    h.fake.script({
      headers: { 'content-type': 'text/event-stream' },
      rawBody: [
        { type: 'response.created', sequence_number: 0, response: created },
        { type: 'error', sequence_number: 1, error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota', param: null } },
      ].map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(''),
    });
    const stream = await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', stream: true });
    await expect(collect(stream)).rejects.toThrow('You exceeded your current quota');
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.response.id': 'resp_e1',
      'gen_ai.response.model': 'gpt-5-mini',
      'openai.response.service_tier': 'auto',
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'error.type': 'APIError',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'error',
    });
  });

  it('charges nothing for a failed response without usage', async () => {
    h.fake.script({
      rawBody: JSON.stringify({
        id: 'resp_failed', object: 'response', status: 'failed', model: 'gpt-5-mini', output: [], usage: null,
        error: { code: 'server_error', message: 'The model failed' },
      }),
    });
    await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi' });
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.response.id': 'resp_failed',
      'gen_ai.response.model': 'gpt-5-mini',
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'error.type': 'server_error',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'error',
    });
  });

  it('records the cost an OpenRouter usage block reports (usage.cost), plain and streamed', async () => {
    const rawUsage = { input_tokens: 30, output_tokens: 2, total_tokens: 32, cost: 0.0000115 };
    h.fake.script({ text: 'hi there', rawUsage }, { text: 'hi there', rawUsage });
    await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi' });
    await collect(await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', stream: true }));
    expect(h.spans()).toHaveLength(2);
    for (const span of h.spans()) {
      expect(span.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 30, 'costtrace.provider.cost_usd': 0.0000115 });
    }
  });

  it('responses.stream() makes one span and its ResponseStream works unchanged', async () => {
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 44, outputTokens: 2 } });
    const runner = h.client.responses.stream({ model: 'gpt-5-mini', input: 'Say hi' });
    const deltas: string[] = [];
    runner.on('response.output_text.delta', (e: { delta: string }) => deltas.push(e.delta));
    const final = await runner.finalResponse();
    expect(final.output_text).toBe('lorem ipsum');
    expect(deltas.join('')).toBe('lorem ipsum');
    expect(h.onlySpan().attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 44, 'costtrace.call.outcome': 'completed' });
  });

  it('responses.parse() makes one span', async () => {
    h.fake.script({ text: 'hello', usage: { inputTokens: 8, outputTokens: 1 } });
    const parsed = await h.client.responses.parse({ model: 'gpt-5-mini', input: 'Say hi' });
    expect(parsed.output_text).toBe('hello');
    expect(h.onlySpan().attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 8, 'costtrace.call.outcome': 'completed' });
  });
});

describe('embeddings.create', () => {
  it('records input usage of a default (base64) request and still decodes the vectors', async () => {
    h.fake.script({ usage: { inputTokens: 12 }, dimensions: 4 });
    const result = await h.client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello', 'world'] });
    expect(h.fake.requests[0]!.body).toMatchObject({ encoding_format: 'base64' });
    expect(result.data[0].embedding).toHaveLength(4);
    expect(h.onlySpan().name).toBe('embeddings text-embedding-3-small');
    expect(h.onlySpan().attributes).toEqual({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      ...server(h),
      'gen_ai.response.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': 12,
      'costtrace.call.outcome': 'completed',
    });
  });

  it('estimates input when the usage is missing', async () => {
    h.fake.script({ rawUsage: null });
    await h.client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello world', encoding_format: 'float' });
    expect(h.onlySpan().attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 2,
      'costtrace.usage.estimated': true,
      'costtrace.call.outcome': 'completed',
    });
  });
});
