import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI, { APIError } from 'openai';
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

const messages = [{ role: 'user' as const, content: 'Say something short, please.' }]; // 28 chars → 7 tokens

describe('OpenAI chat completions, JSON', () => {
  it('returns the scripted text, model and usage with cached and reasoning details', async () => {
    fake.script({
      model: 'gpt-4o-mini-2024-07-18',
      text: 'Hello there',
      usage: { inputTokens: 1200, outputTokens: 50, cacheReadTokens: 1024, reasoningTokens: 30 },
      serviceTier: 'flex',
    });
    const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion).toEqual({
      id: 'chatcmpl-fake1',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gpt-4o-mini-2024-07-18',
      service_tier: 'flex',
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello there', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 50,
        total_tokens: 1250,
        prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 30,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
    });
  });

  it('derives a deterministic default reply from the request', async () => {
    const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages });
    expect(completion.model).toBe('gpt-4.1');
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 16, total_tokens: 23 });
    expect(completion.choices[0]?.message.content?.split(' ')).toHaveLength(16);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('caps output at max_completion_tokens with finish_reason length', async () => {
    const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages, max_completion_tokens: 5 });
    expect(completion.usage?.completion_tokens).toBe(5);
    expect(completion.choices[0]?.message.content).toBe('lorem ipsum dolor sit amet');
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('answers n choices and counts output for all of them', async () => {
    const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages, n: 3, max_tokens: 4 });
    expect(completion.choices.map(c => c.index)).toEqual([0, 1, 2]);
    expect(completion.usage?.completion_tokens).toBe(12);
  });

  it('sends rawUsage verbatim', async () => {
    fake.script({ rawUsage: { prompt_tokens: -3, completion_tokens: 'many' } });
    const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages });
    expect(completion.usage).toEqual({ prompt_tokens: -3, completion_tokens: 'many' });
  });

  it('returns the request id in x-request-id', async () => {
    const { response } = await openai.chat.completions.create({ model: 'gpt-4.1', messages }).withResponse();
    expect(response.headers.get('x-request-id')).toBe(fake.requests[0]?.id);
  });
});

describe('OpenAI chat completions, errors', () => {
  it('a 429 becomes the SDK RateLimitError with the scripted message, type and code', async () => {
    fake.script({ status: 429, error: { message: 'Rate limit reached for gpt-4.1', code: 'rate_limit_exceeded' } });
    const error = await openai.chat.completions.create({ model: 'gpt-4.1', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({
      status: 429,
      message: '429 Rate limit reached for gpt-4.1',
      type: 'requests',
      code: 'rate_limit_exceeded',
      requestID: fake.requests[0]?.id,
    });
  });

  it('a 500 becomes InternalServerError, also for a stream request', async () => {
    fake.script({ status: 500 });
    const error = await openai.chat.completions
      .create({ model: 'gpt-4.1', messages, stream: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as APIError).type).toBe('server_error');
  });

  it('a 401 becomes AuthenticationError', async () => {
    fake.script({ status: 401, error: { message: 'Incorrect API key provided' } });
    await expect(openai.chat.completions.create({ model: 'gpt-4.1', messages })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it('a mid-stream error event makes the iterator throw an APIError', async () => {
    fake.script({ chunks: 4, streamError: { afterChunks: 2, message: 'upstream failed', type: 'server_error' } });
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', messages, stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toBe('upstream failed');
    expect(seen).toHaveLength(3); // role chunk and two content deltas
  });
});

describe('OpenAI chat completions, streaming', () => {
  it('with include_usage: usage null on every chunk, then an empty-choices usage chunk', async () => {
    fake.script({ text: 'one two three four', chunks: 2, usage: { inputTokens: 10, outputTokens: 4, cacheReadTokens: 6 } });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4.1',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks).toHaveLength(5); // role, 2 deltas, finish, usage
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk).toHaveProperty('usage', null);
      expect(chunk.object).toBe('chat.completion.chunk');
    }
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.map(c => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three four');
    expect(chunks[3]?.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({
      prompt_tokens: 10,
      completion_tokens: 4,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 6 },
    });
  });

  it('without include_usage: no chunk has a usage key', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', messages, stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBe(16 + 2);
    for (const chunk of chunks) expect(chunk).not.toHaveProperty('usage');
    expect(chunks.every(c => c.choices.length === 1)).toBe(true);
  });

  it('frames the stream as data lines ending in [DONE]', async () => {
    fake.script({ text: 'hi', usage: { inputTokens: 3, outputTokens: 1 } });
    const res = await rawPost(`${fake.openaiBaseURL}/chat/completions`, {
      model: 'gpt-4.1',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = parseSse(res.text);
    expect(events.every(e => e.event === undefined)).toBe(true);
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(JSON.parse(events.at(-2)?.data ?? '')).toMatchObject({ choices: [], usage: { prompt_tokens: 3 } });
  });

  it('streams n choices, each with its own deltas and finish chunk', async () => {
    fake.script({ text: 'a b', usage: { outputTokens: 4 } });
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', messages, stream: true, n: 2 });
    const text: Record<number, string> = { 0: '', 1: '' };
    const finishes: Array<string | null | undefined> = [];
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (!choice) continue;
      text[choice.index] += choice.delta.content ?? '';
      if (choice.finish_reason) finishes.push(choice.finish_reason);
    }
    expect(text).toEqual({ 0: 'a b', 1: 'a b' });
    expect(finishes).toEqual(['stop', 'stop']);
  });

  it('works with the chat.completions.stream() helper', async () => {
    fake.script({ text: 'helper text', usage: { inputTokens: 9, outputTokens: 2 } });
    const stream = openai.chat.completions.stream({
      model: 'gpt-4.1',
      messages,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('helper text');
    expect(final.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2 });
  });

  it('records the request and its completion', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', messages, stream: true });
    for await (const _ of stream) void _;
    const record = await fake.waitForClose(fake.requests[0]?.id ?? '');
    expect(record).toMatchObject({
      api: 'chat.completions',
      provider: 'openai',
      path: '/v1/chat/completions',
      model: 'gpt-4.1',
      stream: true,
      status: 200,
      chunksSent: 16,
      completed: true,
      clientClosedEarly: false,
      disconnected: false,
    });
    expect(record.headers['authorization']).toBe('[REDACTED]');
    expect(JSON.stringify(fake.requests)).not.toContain('sk-test-secret');
  });
});
