import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFakeLlm, type FakeLlm } from '../src/index';
import { openaiFor, parseSse, rawPost } from './clients';

let fake: FakeLlm;
let openai: OpenAI;

beforeEach(async () => {
  fake = await startFakeLlm();
  openai = openaiFor(fake);
});

afterEach(async () => {
  await fake.close();
});

const usage = { inputTokens: 2000, outputTokens: 300, cacheReadTokens: 1536, reasoningTokens: 200 };
const wireUsage = {
  input_tokens: 2000,
  input_tokens_details: { cached_tokens: 1536, cache_write_tokens: 0 },
  output_tokens: 300,
  output_tokens_details: { reasoning_tokens: 200 },
  total_tokens: 2300,
};

describe('OpenAI Responses API', () => {
  it('returns a completed response with text and usage details', async () => {
    fake.script({ model: 'gpt-5-2025-08-07', text: 'The answer.', usage });
    const response = await openai.responses.create({ model: 'gpt-5', input: 'What is it?' });
    expect(response.status).toBe('completed');
    expect(response.model).toBe('gpt-5-2025-08-07');
    expect(response.output_text).toBe('The answer.');
    expect(response.usage).toEqual(wireUsage);
    expect(response.output.map(o => o.type)).toEqual(['reasoning', 'message']);
  });

  it('ends incomplete when max_output_tokens caps the output', async () => {
    const response = await openai.responses.create({ model: 'gpt-5', input: 'hi', max_output_tokens: 3 });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.usage?.output_tokens).toBe(3);
  });

  it('streams the event sequence with usage on response.completed', async () => {
    fake.script({ text: 'a b c', usage });
    const stream = await openai.responses.create({ model: 'gpt-5', input: 'hi', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map(e => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map(e => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.flatMap(e => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(deltas.join('')).toBe('a b c');
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response.usage).toEqual(wireUsage);
  });

  it('names every event with an event: line and sends no [DONE]', async () => {
    const res = await rawPost(`${fake.openaiBaseURL}/responses`, { model: 'gpt-5', input: 'hi', stream: true });
    const events = parseSse(res.text);
    for (const event of events) expect(JSON.parse(event.data).type).toBe(event.event);
    expect(res.text).not.toContain('[DONE]');
  });

  it('works with the responses.stream() helper', async () => {
    fake.script({ text: 'streamed by helper', usage });
    const stream = openai.responses.stream({ model: 'gpt-5', input: 'hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', event => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('streamed by helper');
    expect(final.usage).toEqual(wireUsage);
    expect(deltas.join('')).toBe('streamed by helper');
  });

  it('yields a mid-stream error as an error event (the SDK does not throw)', async () => {
    fake.script({ chunks: 4, streamError: { afterChunks: 1, message: 'overloaded', code: 'server_error' } });
    const stream = await openai.responses.create({ model: 'gpt-5', input: 'hi', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'server_error', message: 'overloaded', param: null });
  });

  it('a 429 becomes RateLimitError', async () => {
    fake.script({ status: 429 });
    await expect(openai.responses.create({ model: 'gpt-5', input: 'hi' })).rejects.toBeInstanceOf(
      OpenAI.RateLimitError,
    );
  });
});
