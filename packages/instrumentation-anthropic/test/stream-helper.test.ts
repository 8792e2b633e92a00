import * as sdk from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedRequest, expectAllEnded, harness, MESSAGES, type Harness } from './support';

const VERSION = '1.12.0';
const REQUEST = { model: 'claude-test-1', max_tokens: 256, messages: MESSAGES } as const;

describe.each([
  ['messages', (c: any) => c.messages],
  ['beta.messages', (c: any) => c.beta.messages],
])('%s.stream() helper and create()', (_name, resource) => {
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

  it('records exactly one span for a stream() call (its inner create() is not counted again)', async () => {
    h.fake.script({ id: 'msg_h', text: 'hello helper', usage: { inputTokens: 30, outputTokens: 2 } });
    const helper = resource(h.client).stream(REQUEST);
    const texts: string[] = [];
    helper.on('text', (t: string) => texts.push(t));
    const message = await helper.finalMessage();
    expect(typeof helper.abort).toBe('function');
    expect(message.content[0].text).toBe('hello helper');
    expect(texts.join('')).toBe('hello helper');
    expect(h.fake.requests).toHaveLength(1);
    expect(h.spans()).toHaveLength(1);
    expect(h.spans()[0]!.attributes).toEqual({
      ...base(),
      'gen_ai.response.id': 'msg_h',
      'gen_ai.response.model': 'claude-test-1',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'anthropic.response.service_tier': 'standard',
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.cache_write.input_tokens': 0,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 0,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 0,
      'costtrace.call.outcome': 'completed',
    });
  });

  it('supports async iteration of the helper', async () => {
    h.fake.script({ text: 'a b', usage: { inputTokens: 30, outputTokens: 2 } });
    const types: string[] = [];
    for await (const event of resource(h.client).stream(REQUEST)) types.push(event.type);
    expect(types.at(-1)).toBe('message_stop');
    expect(h.spans()).toHaveLength(1);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('completed');
  });

  it('ends as cancelled on helper.abort(), and the request stops', async () => {
    h.fake.script({ text: 'one two three four five', chunkDelayMs: 30 });
    const helper = resource(h.client).stream(REQUEST);
    helper.on('text', () => helper.abort());
    await expect(helper.finalMessage()).rejects.toBeInstanceOf(sdk.APIUserAbortError);
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(h.spans()).toHaveLength(1);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
    expect(h.spans()[0]!.attributes['costtrace.usage.estimated']).toBe(true);
  });

  it('a create() made from a helper listener is its own call, parented beside the helper call', async () => {
    h.fake.script({ text: 'first', usage: { inputTokens: 30, outputTokens: 1 } }, { text: 'second', usage: { inputTokens: 5, outputTokens: 1 } });
    const helper = resource(h.client).stream(REQUEST);
    let inner: Promise<unknown> | undefined;
    helper.on('text', () => {
      inner ??= resource(h.client).create({ ...REQUEST, max_tokens: 8 });
    });
    await helper.finalMessage();
    await inner;
    const spans = h.spans();
    expect(spans).toHaveLength(2);
    // Neither is nested under the other: the cost processor would otherwise drop one as a duplicate.
    expect(spans[0]!.parentSpanContext?.spanId).toBeUndefined();
    expect(spans[1]!.parentSpanContext?.spanId).toBeUndefined();
  });

  it('plain create() works on this resource', async () => {
    h.fake.script({ usage: { inputTokens: 12, outputTokens: 3 } });
    await resource(h.client).create(REQUEST);
    expect(h.spans()[0]!.attributes['gen_ai.usage.input_tokens']).toBe(12);
  });
});
