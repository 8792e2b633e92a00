import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallSink } from '@costtrace/pipeline';
import type { TokenUsage } from '@costtrace/semconv';
import { GeminiCodec } from '../src/gemini-codec';
import { geminiUsage } from '../src/gemini-usage';
import { expectNothingOpen, harness, post, type Harness } from './support';

// Bodies shaped as the Gemini API sends them (ai.google.dev/api/generate-content): camelCase
// fields, usage in `usageMetadata`, the served model in `modelVersion`; a stream (`alt=sse`)
// is `data: {...}` events separated by CRLF CRLF, each with the usage so far.
const JSON_BODY = {
  candidates: [{ content: { parts: [{ text: 'Hello there, test suite.' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
  usageMetadata: {
    promptTokenCount: 120,
    candidatesTokenCount: 7,
    totalTokenCount: 187,
    cachedContentTokenCount: 100,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 120 }],
    cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 100 }],
    thoughtsTokenCount: 60,
  },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'mJ0ZaN2xL9-ez7IPqf3m-Ac',
};
const STREAM_EVENTS = [
  {
    candidates: [{ content: { parts: [{ text: 'Hello' }], role: 'model' }, index: 0 }],
    usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 1, totalTokenCount: 10, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }] },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'nJ0ZaO2xL9-ez7IPqf3m-Ac',
  },
  {
    candidates: [{ content: { parts: [{ text: ' there, test suite.' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: 9,
      candidatesTokenCount: 6,
      totalTokenCount: 40,
      toolUsePromptTokenCount: 5,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }],
      thoughtsTokenCount: 20,
    },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'nJ0ZaO2xL9-ez7IPqf3m-Ac',
  },
];

const recordingSink = () => {
  const usages: Array<[TokenUsage, boolean]> = [];
  const attrs: Record<string, unknown> = {};
  const sink: CallSink = {
    wantsRunningUsage: true,
    recordUsage: (u, e) => usages.push([u, e]),
    setAttributes: (a) => Object.assign(attrs, a),
  };
  return { sink, usages, attrs };
};

describe('Gemini usage and codec', () => {
  it('bills thinking as output and counts tool-use prompts as input; cached content is part of the prompt', () => {
    expect(geminiUsage(JSON_BODY.usageMetadata)).toEqual({ inputTokens: 120, outputTokens: 67, cacheReadTokens: 100, reasoningTokens: 60 });
    expect(geminiUsage(STREAM_EVENTS[1]!.usageMetadata)).toEqual({ inputTokens: 14, outputTokens: 26, reasoningTokens: 20 });
    expect(geminiUsage({ candidatesTokenCount: 3 })).toBeUndefined();
    expect(geminiUsage({ promptTokenCount: 5, cachedContentTokenCount: 9 })).toEqual({ inputTokens: 5, outputTokens: 0 });
  });

  it('reads a JSON body: usage, finish reason, response id and model', () => {
    const codec = new GeminiCodec({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 256, temperature: 0.2 } }, 'gemini-2.5-flash', false, {});
    expect(codec.attributes).toEqual({ 'gen_ai.request.max_tokens': 256, 'gen_ai.request.temperature': 0.2 });
    expect(codec.estimate.maxOutputTokens).toBe(256);
    const { sink, usages, attrs } = recordingSink();
    expect(codec.onBody(sink, JSON_BODY)).toEqual({ finishReasons: ['stop'], responseModel: 'gemini-2.5-flash' });
    expect(usages).toEqual([[{ inputTokens: 120, outputTokens: 67, cacheReadTokens: 100, reasoningTokens: 60 }, false]]);
    expect(attrs).toEqual({ 'gen_ai.response.id': 'mJ0ZaN2xL9-ez7IPqf3m-Ac', 'gen_ai.response.model': 'gemini-2.5-flash' });
  });

  it('reads a stream: the usage so far while it runs, the final count from the finishing chunk', () => {
    const codec = new GeminiCodec({ contents: 'hi' }, 'gemini-2.5-flash', true, {});
    const { sink, usages } = recordingSink();
    for (const event of STREAM_EVENTS) codec.onChunk(sink, event);
    expect(codec.sawStreamEnd()).toBe(true);
    expect(codec.onStreamEnd(sink)).toEqual({ finishReasons: ['stop'], responseModel: 'gemini-2.5-flash' });
    expect(usages).toEqual([
      // Running: the larger of the chunk's count (1) and its text counted at 3 characters a token ('Hello': 2).
      [{ inputTokens: 9, outputTokens: 2 }, true],
      [{ inputTokens: 14, outputTokens: 26, reasoningTokens: 20 }, false],
    ]);
  });

  it('counts the text of a stream whose chunks carry only the prompt and total counts, so a budget can stop it', () => {
    // The real API's intermediate chunks: no candidatesTokenCount until the last.
    const codec = new GeminiCodec({ contents: 'hi' }, 'gemini-2.5-flash', true, {});
    const { sink, usages } = recordingSink();
    codec.onChunk(sink, { candidates: [{ content: { parts: [{ text: 'abcdef' }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } });
    codec.onChunk(sink, { candidates: [{ content: { parts: [{ text: 'ghi' }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } });
    expect(usages).toEqual([
      [{ inputTokens: 9, outputTokens: 2 }, true],
      [{ inputTokens: 9, outputTokens: 3 }, true],
    ]);
  });
});

describe('Gemini over fetch', () => {
  let server: Server;
  let base: string;
  let h: Harness;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url!.includes(':streamGenerateContent')) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          for (const event of STREAM_EVENTS) res.write(`data: ${JSON.stringify(event)}\r\n\r\n`);
          res.end();
        } else {
          res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
          res.end(JSON.stringify(JSON_BODY, null, 2));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    h = await harness({ baseUrls: [`${base}=gemini`] });
  });
  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    expectNothingOpen(h, expect);
    h.reset();
  });

  it('generateContent: one span named for the model in the path, with its exact usage', async () => {
    const res = await post(`${base}/v1beta/models/gemini-2.5-flash:generateContent`, { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    expect(await res.json()).toEqual(JSON_BODY);
    const [span] = h.spans();
    expect(span!.name).toBe('generate_content gemini-2.5-flash');
    expect(span!.attributes).toEqual({
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.5-flash',
      'server.address': '127.0.0.1',
      'server.port': Number(base.split(':').at(-1)),
      'gen_ai.response.id': 'mJ0ZaN2xL9-ez7IPqf3m-Ac',
      'gen_ai.response.model': 'gemini-2.5-flash',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 67,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 60,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('streamGenerateContent?alt=sse: the stream reaches the caller byte for byte, its usage read as it passes', async () => {
    const res = await post(`${base}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    expect(await res.text()).toBe(STREAM_EVENTS.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`).join(''));
    expect(h.spans()[0]!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 14,
      'gen_ai.usage.output_tokens': 26,
      'gen_ai.usage.reasoning.output_tokens': 20,
      'costtrace.call.outcome': 'completed',
    });
  });
});

describe('Gemini over fetch, against fake-llm', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.close());
  afterEach(() => {
    expectNothingOpen(h, expect);
    h.reset();
  });
  const contents = [{ role: 'user', parts: [{ text: 'Say hello' }] }];

  it('reads a streamed generateContent with thinking and cached content', async () => {
    h.fake.script({ text: 'one two three', usage: { inputTokens: 50, cacheReadTokens: 20, outputTokens: 13, reasoningTokens: 10 } });
    const res = await post(`${h.fake.geminiBaseURL}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, { contents });
    const text = await res.text();
    expect(text.split('\r\n\r\n').filter((e) => e !== '')).toHaveLength(3);
    const [span] = h.spans();
    expect(span!.attributes).toEqual({
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.5-flash',
      'server.address': '127.0.0.1',
      'server.port': h.fake.port,
      'gen_ai.response.id': expect.stringMatching(/^fake-gemini-/),
      'gen_ai.response.model': 'gemini-2.5-flash',
      'gen_ai.usage.input_tokens': 50,
      'gen_ai.usage.output_tokens': 13,
      'gen_ai.usage.cache_read.input_tokens': 20,
      'gen_ai.usage.reasoning.output_tokens': 10,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('reads a Gemini stream sent as one JSON array (no alt=sse) when its body ends', async () => {
    h.fake.script({ text: 'one two', usage: { inputTokens: 9, outputTokens: 2 } });
    const res = await post(`${h.fake.geminiBaseURL}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, { contents });
    expect(Array.isArray(await res.json())).toBe(true);
    expect(h.spans()[0]!.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 9, 'gen_ai.usage.output_tokens': 2, 'costtrace.call.outcome': 'completed' });
  });

  it('records a Vertex AI call under gcp.vertex_ai when the base URL says so', async () => {
    await h.close();
    h = await harness({ baseUrls: [] });
    h.inst.setConfig({ baseUrls: [{ url: h.fake.url, provider: 'gcp.vertex_ai' }] });
    h.fake.script({ usage: { inputTokens: 7, outputTokens: 3 } });
    const res = await post(`${h.fake.url}/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`, { contents });
    expect((await res.json()) as object).toHaveProperty('createTime');
    expect(h.spans()[0]!.attributes).toMatchObject({ 'gen_ai.provider.name': 'gcp.vertex_ai', 'gen_ai.usage.input_tokens': 7, 'gen_ai.usage.output_tokens': 3 });
  });

  it('ends a stream that fails midway with the error Google sent', async () => {
    h.fake.script({ text: 'one two three four', streamError: { afterChunks: 2, type: 'UNAVAILABLE', message: 'overloaded' } });
    const res = await post(`${h.fake.geminiBaseURL}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, { contents });
    expect(await res.text()).toContain('UNAVAILABLE');
    expect(h.spans()[0]!.attributes).toMatchObject({ 'error.type': 'UNAVAILABLE', 'costtrace.call.outcome': 'error' });
  });
});
