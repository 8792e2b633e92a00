import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeLlm, type FakeLlm } from '../src/index';
import { anthropicFor, openaiFor } from './clients';

let fake: FakeLlm;
let openai: OpenAI;
let anthropic: Anthropic;

beforeEach(async () => {
  fake = await startFakeLlm();
  openai = openaiFor(fake);
  anthropic = anthropicFor(fake);
});

afterEach(async () => {
  await fake.close();
});

const messages = [{ role: 'user' as const, content: 'hi' }];
const slow = { chunks: 20, chunkDelayMs: 20 };

describe('client closes early', () => {
  it('breaking out of an openai stream is recorded as clientClosedEarly', async () => {
    fake.script(slow);
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', messages, stream: true });
    let seen = 0;
    for await (const _ of stream) if (++seen === 3) break;
    const record = await fake.waitForClose(fake.requests[0]?.id ?? '');
    expect(record).toMatchObject({ clientClosedEarly: true, completed: false, disconnected: false });
    expect(record.chunksSent).toBeLessThan(20);
  });

  it('aborting an openai stream with an AbortController ends its iterator silently', async () => {
    fake.script(slow);
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: 'gpt-4.1', messages, stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    for await (const _ of stream) if (++seen === 3) controller.abort();
    expect(seen).toBe(3);
    expect((await fake.waitForClose(fake.requests[0]?.id ?? '')).clientClosedEarly).toBe(true);
  });

  it('aborting a non-streaming openai call during the delay rejects with APIUserAbortError', async () => {
    fake.script({ delayMs: 2000 });
    const controller = new AbortController();
    const pending = openai.chat.completions.create({ model: 'gpt-4.1', messages }, { signal: controller.signal });
    await fake.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    const record = await fake.waitForClose(fake.requests[0]?.id ?? '');
    expect(record).toMatchObject({ clientClosedEarly: true, status: undefined });
  });

  it('aborting an Anthropic raw stream ends its iterator silently', async () => {
    fake.script(slow);
    const controller = new AbortController();
    const stream = await anthropic.messages.create(
      { model: 'claude-sonnet-4-6', max_tokens: 100, messages, stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    for await (const _ of stream) if (++seen === 4) controller.abort();
    expect(seen).toBe(4);
    expect((await fake.waitForClose(fake.requests[0]?.id ?? '')).clientClosedEarly).toBe(true);
  });

  it('aborting the Anthropic messages.stream() helper makes its iterator throw APIUserAbortError', async () => {
    fake.script(slow);
    const stream = anthropic.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 100, messages });
    let seen = 0;
    const error = await (async () => {
      for await (const _ of stream) if (++seen === 4) stream.abort();
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect((await fake.waitForClose(fake.requests[0]?.id ?? '')).clientClosedEarly).toBe(true);
  });
});

describe('scripted disconnect', () => {
  it('destroys the socket mid-stream; openai throws the fetch TypeError', async () => {
    fake.script({ chunks: 6, disconnectAfterChunks: 2 });
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', messages, stream: true });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('terminated');
    const record = await fake.waitForClose(fake.requests[0]?.id ?? '');
    expect(record).toMatchObject({ disconnected: true, clientClosedEarly: false, completed: false, chunksSent: 2 });
  });

  it('destroys the socket mid-stream; Anthropic throws the fetch TypeError', async () => {
    fake.script({ chunks: 6, disconnectAfterChunks: 3 });
    const stream = await anthropic.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages,
      stream: true,
    });
    const types: string[] = [];
    const error = await (async () => {
      for await (const event of stream) types.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(types.filter(t => t === 'content_block_delta')).toHaveLength(3);
    expect(types).not.toContain('message_delta');
  });

  it('a disconnect after every delta drops only the usage', async () => {
    fake.script({ text: 'a b', disconnectAfterChunks: 99 });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4.1',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().catch(() => undefined);
    expect(chunks.map(c => c.choices[0]?.delta.content ?? '').join('')).toBe('a b');
    expect(chunks.some(c => c.usage)).toBe(false);
  });
});

describe('timing', () => {
  it('writes chunks apart by chunkDelayMs', async () => {
    fake.script({ chunks: 3, firstChunkDelayMs: 60, chunkDelayMs: 40 });
    const started = Date.now();
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', messages, stream: true });
    const arrivals: number[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) arrivals.push(Date.now() - started);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[0]).toBeGreaterThanOrEqual(50);
    expect((arrivals[2] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(70);
  });
});
