import * as sdk from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAllEnded, harness, MESSAGES, type Harness } from './support';

const VERSION = '1.12.0';

// Server-side compaction: the message's top-level usage is its last iteration only; the bill is
// the sum of `usage.iterations` (the compaction pass read the whole conversation). Shapes as
// recorded from the API (vercel/ai anthropic-compaction fixture, ../shared/replay-recordings/an-json-compaction).
const zeroCache = { cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } };
const usage = {
  input_tokens: 682,
  ...zeroCache,
  iterations: [
    { input_tokens: 60385, output_tokens: 592, cache_read_input_tokens: 100, cache_creation_input_tokens: 40, cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 0 }, type: 'compaction' },
    { input_tokens: 682, output_tokens: 1320, cache_read_input_tokens: 0, cache_creation_input_tokens: 10, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 10 }, type: 'message' },
  ],
  output_tokens: 1320,
  service_tier: 'standard',
};
// Summed: input 60385 + 682 = 61067 uncached, + 100 read + 50 written = 61217 in all;
// output 592 + 1320 = 1912; writes 40 (5m) + 10 (1h).
const billed = {
  'gen_ai.usage.input_tokens': 61217,
  'gen_ai.usage.output_tokens': 1912,
  'gen_ai.usage.cache_read.input_tokens': 100,
  'gen_ai.usage.cache_write.input_tokens': 50,
  'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 40,
  'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 10,
};

const message = {
  id: 'msg_c1',
  type: 'message',
  role: 'assistant',
  model: 'claude-opus-4-6',
  content: [{ type: 'text', text: 'Summary done.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
};

function sse(...events: Array<Record<string, unknown>>): string {
  return events.map((e) => `event: ${String(e['type'])}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

describe('server-side compaction', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(sdk, VERSION);
  });
  afterEach(async () => {
    expectAllEnded(h, expect);
    await h.close();
  });

  const base = (stream: boolean) => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-opus-4-6',
    'gen_ai.request.max_tokens': 4096,
    ...(stream ? { 'gen_ai.request.stream': true } : {}),
    'server.address': '127.0.0.1',
    'server.port': h.fake.port,
    'gen_ai.response.id': 'msg_c1',
    'gen_ai.response.model': 'claude-opus-4-6',
    'anthropic.response.service_tier': 'standard',
    'gen_ai.response.finish_reasons': ['end_turn'],
    'costtrace.call.outcome': 'completed',
  });

  it('records the sum of usage.iterations of a message, not its top-level usage', async () => {
    h.fake.script({ rawBody: JSON.stringify({ ...message, usage }) });
    const result = await h.client.messages.create({ model: 'claude-opus-4-6', max_tokens: 4096, messages: MESSAGES });
    expect(result.usage.input_tokens).toBe(682); // the caller's message is untouched
    expect(h.spans()).toHaveLength(1);
    expect(h.spans()[0]!.attributes).toEqual({ ...base(false), ...billed });
  });

  it('records the sum of the iterations a stream reports in its message_delta', async () => {
    h.fake.script({
      headers: { 'content-type': 'text/event-stream' },
      rawBody: sse(
        { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 682, ...zeroCache, output_tokens: 1, service_tier: 'standard' } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Summary done.' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage },
        { type: 'message_stop' },
      ),
    });
    const stream = await h.client.messages.create({ model: 'claude-opus-4-6', max_tokens: 4096, messages: MESSAGES, stream: true });
    for await (const _ of stream);
    expect(h.spans()).toHaveLength(1);
    expect(h.spans()[0]!.attributes).toEqual({ ...base(true), ...billed });
  });

  it('keeps a top-level count the iterations leave out', async () => {
    const partial = { input_tokens: 682, output_tokens: 1320, cache_read_input_tokens: 7, iterations: [{ input_tokens: 900, output_tokens: 30 }, { input_tokens: 682, output_tokens: 1320 }] };
    h.fake.script({ rawBody: JSON.stringify({ ...message, usage: partial }) });
    await h.client.messages.create({ model: 'claude-opus-4-6', max_tokens: 4096, messages: MESSAGES });
    expect(h.spans()[0]!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 1589, // 900 + 682 + 7 read
      'gen_ai.usage.output_tokens': 1350, // 30 + 1320
      'gen_ai.usage.cache_read.input_tokens': 7,
    });
  });
});
