import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type GoogleGenAI } from '@google/genai';
import { startFakeLlm, type FakeLlm } from '../src/index';
import { geminiFor, rawPost } from './clients';

let fake: FakeLlm;
let gemini: GoogleGenAI;

beforeEach(async () => {
  fake = await startFakeLlm();
  gemini = geminiFor(fake);
});

afterEach(async () => {
  await fake.close();
});

const model = 'gemini-2.5-flash';
const contents = 'Twelve chars'; // 12 chars → 3 tokens

describe('Gemini generateContent, JSON', () => {
  it('answers @google/genai with the scripted text, usage and model version', async () => {
    fake.script({
      text: 'Hello there',
      model: 'gemini-2.5-flash-001',
      id: 'resp-1',
      usage: { inputTokens: 1200, outputTokens: 50, cacheReadTokens: 1000, reasoningTokens: 30 },
    });
    const response = await gemini.models.generateContent({ model, contents });
    expect(response.text).toBe('Hello there');
    expect(response.candidates).toEqual([
      { content: { parts: [{ text: 'Hello there' }], role: 'model' }, finishReason: 'STOP', index: 0 },
    ]);
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 1200,
      candidatesTokenCount: 20,
      totalTokenCount: 1250,
      cachedContentTokenCount: 1000,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 1200 }],
      cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 1000 }],
      thoughtsTokenCount: 30,
    });
    expect(response.modelVersion).toBe('gemini-2.5-flash-001');
    expect(response.responseId).toBe('resp-1');
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: `/v1/models/${model}:generateContent`,
      provider: 'google',
      api: 'generateContent',
      model,
      stream: false,
    });
    expect(fake.requests[0]?.headers['x-goog-api-key']).toBe('[REDACTED]');
  });

  it('derives usage from the request, omits zero cache and thoughts counts, and caps at maxOutputTokens', async () => {
    const response = await gemini.models.generateContent({
      model,
      contents,
      config: { maxOutputTokens: 4, systemInstruction: 'Be terse.' },
    });
    expect(response.text).toBe('lorem ipsum dolor sit');
    expect(response.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    // 12 + 9 characters of prompt → 6 tokens.
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 6,
      candidatesTokenCount: 4,
      totalTokenCount: 10,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 6 }],
    });
  });

  it('reports the path model when the reply names none', async () => {
    const response = await gemini.models.generateContent({ model: 'gemini-2.0-flash', contents });
    expect(response.modelVersion).toBe('gemini-2.0-flash');
  });

  it('writes an HTTP error in Google shape, which the SDK throws as ApiError', async () => {
    fake.script({ status: 429, error: { message: 'Resource has been exhausted' } });
    const failure = await gemini.models.generateContent({ model, contents }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(429);
    expect(JSON.parse((failure as ApiError).message)).toEqual({
      error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' },
    });
  });
});

describe('Gemini streamGenerateContent', () => {
  it('streams one chunk per delta; the last carries the finish reason and the totals', async () => {
    fake.script({ text: 'one two three', usage: { inputTokens: 10, outputTokens: 5, reasoningTokens: 2 } });
    const stream = await gemini.models.generateContentStream({ model, contents });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map(c => c.text)).toEqual(['one', ' two', ' three']);
    expect(chunks.map(c => c.candidates?.[0]?.finishReason)).toEqual([undefined, undefined, 'STOP']);
    const partial = { promptTokenCount: 10, totalTokenCount: 12, thoughtsTokenCount: 2 };
    expect(chunks[0]?.usageMetadata).toMatchObject(partial);
    expect(chunks[0]?.usageMetadata?.candidatesTokenCount).toBeUndefined();
    expect(chunks[2]?.usageMetadata).toMatchObject({ ...partial, candidatesTokenCount: 3, totalTokenCount: 15 });
    expect(fake.requests[0]).toMatchObject({
      path: `/v1/models/${model}:streamGenerateContent`,
      api: 'streamGenerateContent',
      stream: true,
      chunksSent: 3,
      completed: true,
    });
  });

  it('frames each chunk as data: {json} CRLF CRLF', async () => {
    fake.script({ text: 'a b', id: 'r1' });
    const { status, headers, text } = await rawPost(
      `${fake.url}/v1beta/models/${model}:streamGenerateContent?alt=sse`,
      { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    );
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = text.split('\r\n\r\n');
    expect(events.pop()).toBe('');
    expect(events).toHaveLength(2);
    expect(events.every(e => e.startsWith('data: '))).toBe(true);
    expect(JSON.parse(events[1]!.slice('data: '.length))).toEqual({
      candidates: [{ content: { parts: [{ text: ' b' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 1,
        candidatesTokenCount: 2,
        totalTokenCount: 3,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 1 }],
      },
      modelVersion: model,
      responseId: 'r1',
    });
  });

  it('sends a JSON array of the same chunks without alt=sse', async () => {
    fake.script({ text: 'a b' });
    const { headers, text } = await rawPost(`${fake.url}/v1beta/models/${model}:streamGenerateContent`, {
      contents: [{ parts: [{ text: 'hi' }] }],
    });
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    const chunks = JSON.parse(text) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> } }> }>;
    expect(chunks.map(c => c.candidates[0]?.content.parts[0]?.text)).toEqual(['a', ' b']);
  });

  it('sends a scripted mid-stream error as a Google error chunk, which the SDK throws', async () => {
    fake.script({ text: 'one two three', streamError: { afterChunks: 1, type: 'UNAVAILABLE', message: 'overloaded' } });
    const stream = await gemini.models.generateContentStream({ model, contents });
    const texts: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) texts.push(chunk.text ?? '');
    })().catch((error: unknown) => error);
    expect(texts).toEqual(['one']);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(503);
  });

  it('shows a client that stopped reading early as closed early', async () => {
    fake.script({ text: 'one two three four', chunkDelayMs: 20 });
    const controller = new AbortController();
    const stream = await gemini.models.generateContentStream({
      model,
      contents,
      config: { abortSignal: controller.signal },
    });
    for await (const chunk of stream) {
      expect(chunk.text).toBe('one');
      controller.abort();
      break;
    }
    const record = await fake.waitForClose(fake.requests[0]!.id);
    expect(record).toMatchObject({ clientClosedEarly: true, completed: false });
  });

  it('destroys the socket after a scripted number of chunks', async () => {
    fake.script({ text: 'one two three', disconnectAfterChunks: 1 });
    const stream = await gemini.models.generateContentStream({ model, contents });
    const texts: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) texts.push(chunk.text ?? '');
    })().catch((error: unknown) => error);
    expect(texts).toEqual(['one']);
    expect(failure).toBeInstanceOf(Error);
    const record = await fake.waitForClose(fake.requests[0]!.id);
    expect(record).toMatchObject({ disconnected: true, chunksSent: 1 });
  });
});

describe('Vertex AI paths', () => {
  it('answers @google/genai in Vertex AI express mode, with createTime and trafficType', async () => {
    fake.script({ text: 'hi' });
    const response = await geminiFor(fake, { vertexai: true }).models.generateContent({ model, contents });
    expect(response.text).toBe('hi');
    expect(response.createTime).toBeDefined();
    expect(response.usageMetadata?.trafficType).toBe('ON_DEMAND');
    expect(fake.requests[0]).toMatchObject({
      path: `/v1beta1/publishers/google/models/${model}:generateContent`,
      provider: 'google',
      api: 'generateContent',
      model,
    });
  });

  it('routes the project and location path, JSON and stream', async () => {
    const base = `${fake.url}/v1/projects/my-project/locations/us-central1/publishers/google/models/${model}`;
    const json = await rawPost(`${base}:generateContent`, { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    expect(JSON.parse(json.text)).toMatchObject({ modelVersion: model, candidates: [{ finishReason: 'STOP' }] });
    const sse = await rawPost(`${base}:streamGenerateContent?alt=sse`, { contents: [] });
    expect(sse.text.startsWith('data: {')).toBe(true);
    expect(fake.requests.map(r => [r.api, r.model, r.stream])).toEqual([
      ['generateContent', model, false],
      ['streamGenerateContent', model, true],
    ]);
  });
});
