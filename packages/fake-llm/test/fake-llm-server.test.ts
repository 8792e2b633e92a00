import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI, { APIError } from 'openai';
import { startFakeLlm, type FakeLlm } from '../src/index';
import { openaiFor, rawPost } from './clients';

let fake: FakeLlm;
let openai: OpenAI;

beforeEach(async () => {
  fake = await startFakeLlm();
  openai = openaiFor(fake);
});

afterEach(async () => {
  await fake.close();
});

const messages = [{ role: 'user' as const, content: 'hi' }];
const ask = (model: string, headers?: Record<string, string>) =>
  openai.chat.completions.create({ model, messages }, headers ? { headers } : undefined);

describe('startFakeLlm', () => {
  it('listens on a free loopback port and derives the base URLs', () => {
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.openaiBaseURL).toBe(`${fake.url}/v1`);
    expect(fake.anthropicBaseURL).toBe(fake.url);
  });
});

describe('choosing replies', () => {
  it('consumes scripted replies in order, then falls back to the default reply', async () => {
    fake.script({ text: 'first' }, { text: 'second' });
    const texts = [];
    for (let i = 0; i < 3; i += 1) texts.push((await ask('m')).choices[0]?.message.content);
    expect(texts[0]).toBe('first');
    expect(texts[1]).toBe('second');
    expect(texts[2]?.startsWith('lorem')).toBe(true);
  });

  it('uses the defaultReply option when nothing is scripted', async () => {
    await fake.close();
    fake = await startFakeLlm({ defaultReply: { text: 'always this' } });
    openai = openaiFor(fake);
    expect((await ask('m')).choices[0]?.message.content).toBe('always this');
  });

  it('asks onRequest handlers first and stops asking once removed', async () => {
    fake.script({ text: 'from script' });
    const remove = fake.onRequest(req => (req.model === 'routed' ? { text: `routed ${req.seq}` } : undefined));
    expect((await ask('routed')).choices[0]?.message.content).toBe('routed 1');
    expect((await ask('other')).choices[0]?.message.content).toBe('from script');
    remove();
    expect((await ask('routed')).choices[0]?.message.content?.startsWith('lorem')).toBe(true);
  });

  it('keeps scenario queues apart from the shared queue, for parallel tests', async () => {
    fake.script({ text: 'shared' });
    fake.scriptScenario('a', { text: 'a1' }, { text: 'a2' });
    fake.scriptScenario('b', { text: 'b1' });
    const [a1, b1, a2, b2] = await Promise.all([
      ask('m', { 'x-fake-scenario': 'a' }),
      ask('m', { 'x-fake-scenario': 'b' }),
      ask('m', { 'x-fake-scenario': 'a' }),
      ask('m', { 'x-fake-scenario': 'b' }),
    ]);
    expect([a1, b1, a2].map(c => c.choices[0]?.message.content).sort()).toEqual(['a1', 'a2', 'b1']);
    expect(b2.choices[0]?.message.content?.startsWith('lorem')).toBe(true);
    expect((await ask('m')).choices[0]?.message.content).toBe('shared');
    expect(fake.requests.filter(r => r.scenario === 'a')).toHaveLength(2);
  });

  it('takes a whole reply from the x-fake-reply header', async () => {
    const reply = JSON.stringify({ text: 'inline', usage: { inputTokens: 5, outputTokens: 1 } });
    const completion = await ask('m', { 'x-fake-reply': reply });
    expect(completion.choices[0]?.message.content).toBe('inline');
    expect(completion.usage?.prompt_tokens).toBe(5);
  });

  it('sends rawBody verbatim with its status', async () => {
    fake.script({ status: 200, rawBody: '{"not":"a completion"}' });
    expect(await ask('m')).toEqual({ not: 'a completion' });
  });

  it('adds scripted headers to the response', async () => {
    fake.script({ status: 503, headers: { 'retry-after': '7', 'x-should-retry': 'false' } });
    const error = (await ask('m').catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.headers?.get('retry-after')).toBe('7');
  });
});

describe('recording', () => {
  it('records method, path, parsed body and redacted headers', async () => {
    await ask('gpt-4.1', { 'x-custom': 'kept' });
    const [record] = await fake.waitForRequests(1);
    expect(record).toMatchObject({
      id: 'req_fake000001',
      seq: 1,
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'gpt-4.1', messages },
      model: 'gpt-4.1',
      stream: false,
    });
    expect(record?.headers).toMatchObject({ authorization: '[REDACTED]', 'x-custom': 'kept' });
    expect(record?.endedAt).toBeGreaterThanOrEqual(record?.startedAt ?? Infinity);
  });

  it('waitForRequests resolves when enough requests arrived and rejects after its timeout', async () => {
    const waiting = fake.waitForRequests(2);
    await Promise.all([ask('a'), ask('b')]);
    expect((await waiting).map(r => r.model).sort()).toEqual(['a', 'b']);
    await expect(fake.waitForRequests(3, { timeoutMs: 30 })).rejects.toThrow('waited 30 ms for 3 requests, saw 2');
  });

  it('waitForClose rejects for an unknown id', async () => {
    await expect(fake.waitForClose('req_nope')).rejects.toThrow('no recorded request req_nope');
  });

  it('reset forgets records, scripts and handlers but keeps ids unique', async () => {
    fake.script({ text: 'dropped' });
    fake.onRequest(() => ({ text: 'dropped too' }));
    fake.reset();
    const completion = await ask('m');
    expect(completion.choices[0]?.message.content?.startsWith('lorem')).toBe(true);
    fake.reset();
    await ask('m');
    expect(fake.requests.map(r => r.id)).toEqual(['req_fake000002']);
  });

  it('keeps only the newest maxRecords requests', async () => {
    await fake.close();
    fake = await startFakeLlm({ maxRecords: 2 });
    openai = openaiFor(fake);
    for (const model of ['a', 'b', 'c']) await ask(model);
    expect(fake.requests.map(r => r.model)).toEqual(['b', 'c']);
  });
});

describe('protocol edges', () => {
  it('answers an unknown path with a 404 in the OpenAI format', async () => {
    const res = await rawPost(`${fake.openaiBaseURL}/completions/legacy`, { model: 'm' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(fake.requests[0]).toMatchObject({ api: 'unknown', status: 404 });
  });

  it('answers a body that is not JSON with a 400', async () => {
    const res = await fetch(`${fake.openaiBaseURL}/chat/completions`, { method: 'POST', body: '{oops' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('serves paths without the /v1 prefix too', async () => {
    const res = await rawPost(`${fake.url}/chat/completions`, { model: 'm', messages });
    expect(res.status).toBe(200);
    expect(fake.requests[0]?.api).toBe('chat.completions');
  });
});

describe('control API', () => {
  it('scripts, lists and resets over HTTP without recording its own calls', async () => {
    const scripted = await fetch(`${fake.url}/__fake/script`, {
      method: 'POST',
      body: JSON.stringify([{ text: 'via control' }]),
    });
    expect(scripted.status).toBe(204);
    await fetch(`${fake.url}/__fake/script?scenario=s`, { method: 'POST', body: JSON.stringify({ text: 'scenario' }) });
    expect((await ask('m')).choices[0]?.message.content).toBe('via control');
    expect((await ask('m', { 'x-fake-scenario': 's' })).choices[0]?.message.content).toBe('scenario');
    const listed = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as Array<{ model: string }>;
    expect(listed.map(r => r.model)).toEqual(['m', 'm']);
    expect((await fetch(`${fake.url}/__fake/reset`, { method: 'POST' })).status).toBe(204);
    expect(fake.requests).toEqual([]);
  });

  it('is off when controlApi is false', async () => {
    await fake.close();
    fake = await startFakeLlm({ controlApi: false });
    expect((await fetch(`${fake.url}/__fake/requests`)).status).toBe(404);
  });
});

describe('close', () => {
  it('closes promptly with a stream in progress and rejects pending waits', async () => {
    fake.script({ chunks: 100, chunkDelayMs: 1000 });
    const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true });
    const consumed = (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    const waiting = fake.waitForRequests(5);
    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(500);
    await expect(waiting).rejects.toThrow('fake-llm: closed');
    expect(await consumed).toBeInstanceOf(Error);
    await fake.close(); // idempotent
  });
});
