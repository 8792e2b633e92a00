import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { collect, expectNothingOpen, harness, loadSdk, server, sleep, type Harness } from './support';

const { sdk, version } = loadSdk(6);
const messages = [{ role: 'user', content: 'Hello there' }];
const INPUT_ESTIMATE = 9;
const slow = { text: 'lorem ipsum dolor sit amet consectetur adipiscing elit', chunkDelayMs: 30, usage: { inputTokens: 20 } };

let h: Harness;
beforeAll(async () => {
  h = await harness(sdk, version, { unreadStreamTimeoutMs: 80 });
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h);
  h.reset();
});

function base(): Record<string, unknown> {
  return { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', ...server(h) };
}

function respId(): string {
  return `chatcmpl-fake${h.fake.requests[0]!.seq}`;
}

async function closedEarly(): Promise<boolean> {
  return (await h.fake.waitForClose(h.fake.requests[0]!.id)).clientClosedEarly;
}

function stream(options?: Record<string, unknown>) {
  return h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }, options);
}

describe('stream lifecycle', () => {
  it('ends as cancelled with the running count when the consumer breaks', async () => {
    h.fake.script(slow);
    let n = 0;
    for await (const chunk of await stream()) {
      if (chunk.choices[0]?.delta?.content && ++n === 2) break;
    }
    const span = h.onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toEqual({
      ...base(),
      'gen_ai.response.id': respId(),
      'gen_ai.response.model': 'gpt-4o-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': INPUT_ESTIMATE,
      'gen_ai.usage.output_tokens': 3, // "lorem" 2 + " ipsum" 1
      'costtrace.usage.estimated': true,
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'cancelled',
    });
    expect(await closedEarly()).toBe(true);
  });

  it('ends as cancelled when the consumer calls return() on the iterator', async () => {
    h.fake.script(slow);
    const it = (await stream())[Symbol.asyncIterator]();
    await it.next();
    await it.return();
    expect(h.onlySpan().attributes['costtrace.call.outcome']).toBe('cancelled');
    expect(await closedEarly()).toBe(true);
  });

  it('ends as cancelled when return() comes before the first read', async () => {
    h.fake.script(slow);
    const it = (await stream())[Symbol.asyncIterator]();
    await it.return();
    expect(h.onlySpan().attributes['costtrace.call.outcome']).toBe('cancelled');
  });

  it("ends as cancelled when the caller's own signal aborts mid-stream", async () => {
    h.fake.script(slow);
    const controller = new AbortController();
    const chunks: unknown[] = [];
    for await (const chunk of await stream({ signal: controller.signal })) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }
    expect(h.onlySpan().attributes).toMatchObject({
      'costtrace.call.outcome': 'cancelled',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.usage.estimated': true,
    });
    expect(await closedEarly()).toBe(true);
  });

  it("ends as cancelled when the caller's signal aborts a non-streaming call in flight", async () => {
    h.fake.script({ delayMs: 500 });
    const controller = new AbortController();
    const pending = h.client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { signal: controller.signal });
    await h.fake.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(sdk.APIUserAbortError);
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.usage.input_tokens': INPUT_ESTIMATE,
      'costtrace.usage.estimated': true,
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'cancelled',
    });
    expect(await closedEarly()).toBe(true);
  });

  it('ends as error with the SDK error class on a mid-stream error event', async () => {
    h.fake.script({ ...slow, chunkDelayMs: 0, streamError: { afterChunks: 2, message: 'boom' } });
    const err = await collect(await stream()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(sdk.APIError);
    const span = h.onlySpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: expect.stringContaining('boom') });
    expect(span.attributes).toMatchObject({ 'error.type': 'APIError', 'costtrace.call.outcome': 'error', 'gen_ai.usage.output_tokens': 3 });
  });

  it('ends as error when the connection drops mid-stream', async () => {
    h.fake.script({ ...slow, chunkDelayMs: 0, disconnectAfterChunks: 2 });
    const err = await collect(await stream()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(h.onlySpan().attributes).toMatchObject({ 'costtrace.call.outcome': 'error', 'costtrace.usage.estimated': true });
  });

  it('ends a stream never read as cancelled and unread, without aborting the request', async () => {
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 20 } });
    const s = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, max_tokens: 40 });
    await sleep(150);
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.request.max_tokens': 40,
      'gen_ai.usage.input_tokens': INPUT_ESTIMATE,
      'gen_ai.usage.output_tokens': 40,
      'costtrace.usage.estimated': true,
      'costtrace.stream.unread': true,
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'cancelled',
    });
    // Read later, it passes through unobserved, still without the chunk we added.
    const chunks = await collect(s);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((c: { choices: unknown[] }) => c.choices.length > 0 && !('usage' in c))).toBe(true);
    expect(h.spans()).toHaveLength(1);
  });

  it('ends an APIPromise never awaited as unread once its response arrives', async () => {
    h.fake.script({ text: 'lorem' });
    void h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    // The response is sent whole before the server may close (a request cut by the close would reject
    // the never-awaited promise unhandled); then the unread timer ends the span.
    const [request] = await h.fake.waitForRequests(1);
    await h.fake.waitForClose(request!.id);
    for (let waited = 0; h.spans().length === 0 && waited < 5_000; waited += 20) await sleep(20);
    expect(h.onlySpan().attributes).toMatchObject({ 'costtrace.stream.unread': true, 'costtrace.call.outcome': 'cancelled' });
  });

  it('observes both halves of tee() through one span', async () => {
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 20 } });
    const [left, right] = (await stream()).tee();
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    expect(a).toEqual(b);
    expect(a.every((c: { choices: unknown[] }) => c.choices.length > 0)).toBe(true);
    expect(h.onlySpan().attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 20, 'costtrace.call.outcome': 'completed' });
  });

  it('observes toReadableStream() and ends on completion', async () => {
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 20 } });
    const readable = (await stream()).toReadableStream();
    const text = await new Response(readable).text();
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { choices: unknown[] });
    expect(lines.every((c) => c.choices.length > 0)).toBe(true);
    expect(h.onlySpan().attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 20, 'costtrace.call.outcome': 'completed' });
  });

  it('ends as cancelled when a toReadableStream() reader cancels', async () => {
    h.fake.script(slow);
    const reader = (await stream()).toReadableStream().getReader();
    await reader.read();
    await reader.cancel();
    expect(h.onlySpan().attributes['costtrace.call.outcome']).toBe('cancelled');
    expect(await closedEarly()).toBe(true);
  });

  it('keeps .controller on the stream and ends as cancelled when it aborts', async () => {
    h.fake.script(slow);
    const s = await stream();
    expect(s.controller).toBeInstanceOf(AbortController);
    const chunks: unknown[] = [];
    for await (const chunk of s) {
      chunks.push(chunk);
      if (chunks.length === 2) s.controller.abort();
    }
    expect(h.onlySpan().attributes['costtrace.call.outcome']).toBe('cancelled');
  });
});

describe('APIPromise methods', () => {
  it('.withResponse() returns data and response, and the span has the real usage', async () => {
    h.fake.script({ usage: { inputTokens: 33, outputTokens: 4 } });
    const { data, response, request_id } = await h.client.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .withResponse();
    expect(data.usage.prompt_tokens).toBe(33);
    expect(response.status).toBe(200);
    expect(request_id).toBe(h.fake.requests[0]!.id);
    expect(h.onlySpan().attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 33, 'costtrace.call.outcome': 'completed' });
  });

  it('.withResponse() on a stream gives the observed stream', async () => {
    h.fake.script({ text: 'lorem ipsum', usage: { inputTokens: 21 } });
    const { data } = await stream().withResponse();
    await collect(data);
    expect(h.onlySpan().attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 21, 'costtrace.call.outcome': 'completed' });
  });

  it('.asResponse() leaves the body to the caller and ends with estimated usage when the response arrives', async () => {
    h.fake.script({ usage: { inputTokens: 33, outputTokens: 4 } });
    const response = await h.client.chat.completions
      .create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 25 })
      .asResponse();
    const body = (await response.json()) as { usage: { prompt_tokens: number } };
    expect(body.usage.prompt_tokens).toBe(33);
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.request.max_tokens': 25,
      'gen_ai.usage.input_tokens': INPUT_ESTIMATE,
      'gen_ai.usage.output_tokens': 25,
      'costtrace.usage.estimated': true,
      'costtrace.call.outcome': 'completed',
    });
  });

  it('.asResponse() on a stream hands over the raw SSE body untouched', async () => {
    h.fake.script({ text: 'lorem' });
    const response = await stream().asResponse();
    const text = await response.text();
    expect(text).toContain('data: [DONE]');
    expect(h.onlySpan().attributes).toMatchObject({ 'costtrace.usage.estimated': true, 'costtrace.call.outcome': 'completed' });
  });

  it('.asResponse() of a failed call ends the span as error', async () => {
    h.fake.script({ status: 500, error: { message: 'down' }, headers: { 'x-should-retry': 'false' } });
    await expect(h.client.chat.completions.create({ model: 'gpt-4o-mini', messages }).asResponse()).rejects.toBeInstanceOf(
      sdk.InternalServerError,
    );
    expect(h.onlySpan().attributes).toMatchObject({ 'error.type': 'InternalServerError', 'costtrace.call.outcome': 'error' });
  });
});
