import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeLlm, type FakeLlm } from '../src/index';
import { anthropicFor, parseSse, rawPost } from './clients';

let fake: FakeLlm;
let anthropic: Anthropic;

beforeEach(async () => {
  fake = await startFakeLlm();
  anthropic = anthropicFor(fake);
});

afterEach(async () => {
  await fake.close();
});

const request = {
  model: 'claude-sonnet-4-6',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'Twelve chars' }], // 12 chars → 3 tokens
};

// inputTokens is all input: 100 uncached + 1000 read + 300 written (200 for 5 min, 100 for 1 h).
const cachedUsage = {
  inputTokens: 1400,
  outputTokens: 40,
  cacheReadTokens: 1000,
  cacheWrite5mTokens: 200,
  cacheWrite1hTokens: 100,
};
const cachedWireUsage = {
  input_tokens: 100,
  cache_creation_input_tokens: 300,
  cache_read_input_tokens: 1000,
  cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 },
  output_tokens: 40,
  service_tier: 'standard',
};

describe('Anthropic messages, JSON', () => {
  it('returns the scripted message with input split into uncached, cache read and cache write', async () => {
    fake.script({ model: 'claude-sonnet-4-6-20250929', text: 'Hi!', usage: cachedUsage });
    const message = await anthropic.messages.create(request);
    expect(message).toMatchObject({
      id: 'msg_fake1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6-20250929',
      content: [{ type: 'text', text: 'Hi!' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: cachedWireUsage,
    });
  });

  it('derives a default reply and stops with max_tokens when capped', async () => {
    const message = await anthropic.messages.create({ ...request, max_tokens: 4, system: 'Be terse.' });
    expect(message.usage).toMatchObject({ input_tokens: 6, output_tokens: 4 }); // 12 + 9 chars → 6
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content).toEqual([{ type: 'text', text: 'lorem ipsum dolor sit' }]);
  });

  it('reports a scripted service tier and thinking tokens', async () => {
    fake.script({ serviceTier: 'priority', usage: { outputTokens: 10, reasoningTokens: 6 } });
    const message = await anthropic.messages.create(request);
    expect(message.usage).toMatchObject({ service_tier: 'priority', output_tokens_details: { thinking_tokens: 6 } });
  });

  it('sends the request id in request-id', async () => {
    const { response } = await anthropic.messages.create(request).withResponse();
    expect(response.headers.get('request-id')).toBe(fake.requests[0]?.id);
    // @anthropic-ai/sdk 1.x sends its API key in `authorization`; 0.x sent `x-api-key`.
    expect(fake.requests[0]?.headers['authorization']).toBe('[REDACTED]');
    expect(JSON.stringify(fake.requests)).not.toContain('sk-ant-test-secret');
  });

  it('answers count_tokens', async () => {
    const count = await anthropic.messages.countTokens({ model: request.model, messages: request.messages });
    expect(count.input_tokens).toBe(3);
  });
});

describe('Anthropic messages, errors', () => {
  it('a 529 becomes OverloadedError with the Anthropic error body', async () => {
    fake.script({ status: 529, error: { message: 'Overloaded' } });
    const error = await anthropic.messages.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as Error).constructor.name).toBe('OverloadedError');
    expect(error).toMatchObject({
      status: 529,
      type: 'overloaded_error',
      apiMessage: 'Overloaded',
      requestID: fake.requests[0]?.id,
      error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: fake.requests[0]?.id },
    });
  });

  it('a 429 becomes RateLimitError', async () => {
    fake.script({ status: 429, error: { message: 'Number of request tokens has exceeded your rate limit' } });
    const error = await anthropic.messages.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error).toMatchObject({ type: 'rate_limit_error' });
  });

  it('a mid-stream error event makes the iterator throw an APIError without status', async () => {
    fake.script({ chunks: 5, streamError: { afterChunks: 2, type: 'overloaded_error', message: 'Overloaded' } });
    const stream = await anthropic.messages.create({ ...request, stream: true });
    const types: string[] = [];
    const error = await (async () => {
      for await (const event of stream) types.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ status: undefined, type: 'overloaded_error', apiMessage: 'Overloaded' });
    expect(types).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta']);
  });
});

describe('Anthropic messages, streaming', () => {
  it('sends message_start with the input usage and message_delta with cumulative totals', async () => {
    fake.script({ text: 'alpha beta gamma', chunks: 3, usage: cachedUsage });
    const stream = await anthropic.messages.create({ ...request, stream: true });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map(e => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = events[0];
    expect(start?.type === 'message_start' && start.message.usage).toEqual({ ...cachedWireUsage, output_tokens: 1 });
    const text = events.flatMap(e =>
      e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : [],
    );
    expect(text.join('')).toBe('alpha beta gamma');
    expect(events[6]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 100, cache_creation_input_tokens: 300, cache_read_input_tokens: 1000, output_tokens: 40 },
    });
  });

  it('names every event, ping included', async () => {
    const res = await rawPost(`${fake.anthropicBaseURL}/v1/messages`, { ...request, stream: true });
    const events = parseSse(res.text);
    expect(events.map(e => e.event)).toContain('ping');
    for (const event of events) expect(JSON.parse(event.data).type).toBe(event.event);
  });

  it('messages.stream().finalMessage() has the full usage', async () => {
    fake.script({ text: 'final text', usage: cachedUsage, chunkDelayMs: 2 });
    const stream = anthropic.messages.stream(request);
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'final text' }]);
    expect(message.usage).toEqual(cachedWireUsage);
    expect(await stream.finalText()).toBe('final text');
  });

  it('sends rawUsage in message_start and message_delta', async () => {
    fake.script({ rawUsage: { output_tokens: 7 } });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const event of await anthropic.messages.create({ ...request, stream: true })) events.push(event);
    expect(events[0]?.type === 'message_start' && events[0].message.usage).toEqual({ output_tokens: 7 });
    expect(events.find(e => e.type === 'message_delta')).toMatchObject({ usage: { output_tokens: 7 } });
  });
});
