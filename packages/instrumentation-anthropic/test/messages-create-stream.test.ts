import * as sdk from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { closedRequest, expectAllEnded, harness, MESSAGES, MESSAGES_ESTIMATE, sleep, type Harness } from './support';

const VERSION = '1.12.0';
const REQUEST = { model: 'claude-test-1', max_tokens: 256, messages: MESSAGES, stream: true } as const;

describe('messages.create({ stream: true })', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(sdk, VERSION);
  });
  afterEach(async () => {
    expectAllEnded(h, expect);
    await h.close();
  });

  const base = () => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-test-1',
    'gen_ai.request.max_tokens': 256,
    'gen_ai.request.stream': true,
    'server.address': '127.0.0.1',
    'server.port': h.fake.port,
  });

  it('returns the SDK Stream intact and records the provider usage from message_start and message_delta', async () => {
    h.fake.script({
      id: 'msg_s',
      text: 'a b c d',
      usage: { inputTokens: 500, outputTokens: 4, cacheReadTokens: 300, cacheWriteTokens: 100 },
    });
    const stream = await h.client.messages.create(REQUEST);
    expect(stream.constructor.name).toBe('Stream');
    expect(stream.controller).toBeInstanceOf(AbortController);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    const [span] = h.spans();
    expect(h.spans()).toHaveLength(1);
    expect(span!.attributes).toEqual({
      ...base(),
      'gen_ai.response.id': 'msg_s',
      'gen_ai.response.model': 'claude-test-1',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'anthropic.response.service_tier': 'standard',
      'gen_ai.usage.input_tokens': 500,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.usage.cache_read.input_tokens': 300,
      'gen_ai.usage.cache_write.input_tokens': 100,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 100,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 0,
      'costtrace.call.outcome': 'completed',
    });
  });

  it('keeps a running over-estimated output count while streaming, replaced by the provider count', async () => {
    const seen: Array<[number | undefined, boolean]> = [];
    const { setCallGate } = await import('@costtrace/pipeline');
    const remove = setCallGate({
      begin: () => ({ onUsage: (u, estimated) => seen.push([u.outputTokens, estimated]), end: () => {} }),
    });
    try {
      h.fake.script({ text: 'aaaaa bbbbb', chunks: 2, usage: { inputTokens: 50, outputTokens: 3 } });
      const stream = await h.client.messages.create(REQUEST);
      for await (const _ of stream) void _;
    } finally {
      remove();
    }
    // message_start reports 1 output token; "aaaaa" → ceil(5 / 2.5) = 2; then " bbbbb" → ceil(11 / 2.5) = 5.
    expect(seen).toEqual([
      [1, true],
      [2, true],
      [5, true],
      [3, false],
    ]);
  });

  it('ends as cancelled when the consumer breaks, and closes the connection', async () => {
    h.fake.script({ text: 'one two three four five six', chunkDelayMs: 20, usage: { inputTokens: 50, outputTokens: 6 } });
    const stream = await h.client.messages.create(REQUEST);
    for await (const event of stream) {
      if (event.type === 'content_block_delta') break;
    }
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    const [span] = h.spans();
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).toEqual({
      ...base(),
      'gen_ai.response.id': 'msg_fake1',
      'gen_ai.response.model': 'claude-test-1',
      'anthropic.response.service_tier': 'standard',
      'gen_ai.usage.input_tokens': 50,
      // "one " → ceil(4 / 2.5)
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.cache_write.input_tokens': 0,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 0,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 0,
      'costtrace.usage.estimated': true,
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'cancelled',
    });
  });

  it('ends as error on a mid-stream error event and rethrows the SDK error', async () => {
    h.fake.script({ text: 'a b c d', streamError: { afterChunks: 2, type: 'overloaded_error' } });
    const stream = await h.client.messages.create(REQUEST);
    const err = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(sdk.APIError);
    const [span] = h.spans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe(errName(err));
    expect(span!.attributes['costtrace.call.outcome']).toBe('error');
    expect(span!.attributes['costtrace.usage.estimated']).toBe(true);
  });

  it('ends as error when the server drops the connection mid-stream', async () => {
    h.fake.script({ text: 'a b c d', disconnectAfterChunks: 1 });
    const stream = await h.client.messages.create(REQUEST);
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toThrow();
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('error');
  });

  it('ends as cancelled when the caller aborts stream.controller', async () => {
    h.fake.script({ text: 'one two three four', chunkDelayMs: 20 });
    const stream = await h.client.messages.create(REQUEST);
    let n = 0;
    for await (const _ of stream) {
      if (++n === 3) stream.controller.abort();
    }
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
  });

  it('ends as cancelled when the caller aborts through its own signal', async () => {
    h.fake.script({ text: 'one two three four', chunkDelayMs: 20 });
    const controller = new AbortController();
    const stream = await h.client.messages.create(REQUEST, { signal: controller.signal });
    let n = 0;
    for await (const _ of stream) {
      if (++n === 3) controller.abort();
    }
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
  });

  it('follows a caller signal that is not a native AbortSignal (a polyfill), as the SDK itself does', async () => {
    h.fake.script({ text: 'one two three four', chunkDelayMs: 20 });
    // An EventTarget-based signal from a polyfill: the SDK duck-types it, so must we.
    const target = new EventTarget();
    const signal = Object.assign(target, { aborted: false, reason: undefined as unknown }) as unknown as AbortSignal;
    const abort = () => {
      Object.assign(target, { aborted: true, reason: new Error('polyfilled abort') });
      target.dispatchEvent(new Event('abort'));
    };
    const stream = await h.client.messages.create(REQUEST, { signal });
    let n = 0;
    for await (const _ of stream) {
      if (++n === 3) abort();
    }
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
  });

  it('observes .tee() once: both halves see every event, one span', async () => {
    h.fake.script({ text: 'x y z', usage: { inputTokens: 20, outputTokens: 3 } });
    const stream = await h.client.messages.create(REQUEST);
    const [left, right] = stream.tee();
    const read = async (s: AsyncIterable<{ type: string }>) => {
      const t: string[] = [];
      for await (const e of s) t.push(e.type);
      return t;
    };
    const [a, b] = await Promise.all([read(left), read(right)]);
    expect(a).toEqual(b);
    expect(h.spans()).toHaveLength(1);
    expect(h.spans()[0]!.attributes['gen_ai.usage.output_tokens']).toBe(3);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('completed');
  });

  it('observes .toReadableStream() and ends when it is cancelled', async () => {
    h.fake.script({ text: 'x y z', usage: { inputTokens: 20, outputTokens: 3 } });
    const stream = await h.client.messages.create(REQUEST);
    const reader = stream.toReadableStream().getReader();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('message_stop');
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('completed');
    expect(h.spans()[0]!.attributes['gen_ai.usage.output_tokens']).toBe(3);
  });

  it('ends a stream that is never read as cancelled and unread, without aborting it', async () => {
    await h.close();
    h = await harness(sdk, VERSION, { unreadStreamTimeoutMs: 50 });
    h.fake.script({ text: 'late reader', usage: { inputTokens: 20, outputTokens: 2 } });
    const stream = await h.client.messages.create(REQUEST);
    await sleep(120);
    expect(h.spans()[0]!.attributes).toEqual({
      ...base(),
      'gen_ai.usage.input_tokens': MESSAGES_ESTIMATE,
      'gen_ai.usage.output_tokens': 256,
      'costtrace.usage.estimated': true,
      'costtrace.stream.unread': true,
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'cancelled',
    });
    // Read later: chunks pass through unobserved.
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types.at(-1)).toBe('message_stop');
    expect(h.spans()).toHaveLength(1);
  });

  it('withResponse() on a stream returns the Stream and its response', async () => {
    h.fake.script({ text: 'x', usage: { inputTokens: 20, outputTokens: 1 } });
    const { data, response } = await h.client.messages.create(REQUEST).withResponse();
    expect(response.status).toBe(200);
    for await (const _ of data) void _;
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('completed');
  });
});

function errName(err: unknown): string {
  return (err as { constructor: { name: string } }).constructor.name;
}
