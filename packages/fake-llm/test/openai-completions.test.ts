import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
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

const model = 'gpt-3.5-turbo-instruct';
const prompt = 'Tell me a joke about OpenTelemetry'; // 34 chars → 9 tokens

describe('legacy completions', () => {
  it('returns a text_completion with choices[].text and usage, as the real API', async () => {
    fake.script({ model: 'gpt-3.5-turbo-instruct:20230824-v2', text: 'Why did the span end?', usage: { outputTokens: 6 } });
    const completion = await openai.completions.create({ model, prompt, max_tokens: 50 });
    expect(completion).toEqual({
      id: 'cmpl-fake1',
      object: 'text_completion',
      created: expect.any(Number),
      model: 'gpt-3.5-turbo-instruct:20230824-v2',
      choices: [{ text: 'Why did the span end?', index: 0, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 },
    });
    expect(fake.requests[0]).toMatchObject({ path: '/v1/completions', provider: 'openai', api: 'completions', model });
  });

  it('caps output at 16 tokens when the request sets no max_tokens, like the real API', async () => {
    fake.script({ usage: { outputTokens: 100 } });
    const completion = await openai.completions.create({ model, prompt, n: 2 });
    expect(completion.choices.map(c => c.finish_reason)).toEqual(['length', 'length']);
    expect(completion.usage).toEqual({ prompt_tokens: 9, completion_tokens: 32, total_tokens: 41 });
  });

  it('streams text_completion chunks with usage last when include_usage is set', async () => {
    fake.script({ text: 'one two three' });
    const stream = await openai.completions.create({
      model,
      prompt,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Completion[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map(c => c.choices[0]?.text)).toEqual(['one', ' two', ' three', '', undefined]);
    expect(chunks.map(c => c.choices[0]?.finish_reason)).toEqual([null, null, null, 'stop', undefined]);
    expect(chunks.slice(0, -1).every(c => c.usage === null)).toBe(true);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
  });

  it('streams no usage key without include_usage, and ends in [DONE]', async () => {
    fake.script({ text: 'a b' });
    const { text } = await rawPost(`${fake.openaiBaseURL}/completions`, { model, prompt, stream: true });
    const events = parseSse(text);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map(e => JSON.parse(e.data) as Record<string, unknown>);
    expect(chunks).toHaveLength(3);
    expect(chunks.every(c => !('usage' in c) && c['object'] === 'text_completion')).toBe(true);
  });

  it('answers a scripted HTTP error in OpenAI shape', async () => {
    fake.script({ status: 429 });
    const failure = await openai.completions.create({ model, prompt }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
  });
});
