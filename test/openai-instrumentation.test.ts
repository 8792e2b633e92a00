// Out of process: real openai clients (each supported major, ESM and CommonJS) under
// `node --import/--require @costtrace/register`, against fake-llm, spans over OTLP/HTTP.
import { describe, expect, it } from 'vitest';
import { attrs, estimatedAttrs, itBehavesAsWithoutInstrumentation, onlySpan, pricedAttrs, useRun, useServers } from './helpers/e2e';
import { fixturesFor, scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

const SCOPE = '@costtrace/instrumentation-openai';
const SCENARIOS = [
  'chat-basic', 'chat-stream', 'chat-stream-usage', 'chat-stream-break', 'chat-abort', 'chat-error',
  'chat-with-response', 'chat-as-response', 'stream-tee', 'stream-readable', 'stream-never-read',
  'helper-stream', 'helper-parse', 'responses-basic', 'responses-stream', 'embeddings', 'baggage', 'stream-disconnect', 'malformed-usage',
].map((s) => `openai/${s}`);

const chat = (model = 'gpt-4o-mini') => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': model,
  'server.address': '127.0.0.1',
});
const response = (id: string, model = 'gpt-4o-mini') => ({
  'gen_ai.response.id': id,
  'gen_ai.response.model': model,
  'openai.response.service_tier': 'default',
});
const usage = (input: number, output: number, cached = 0, reasoning = 0) => ({
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': output,
  'gen_ai.usage.cache_read.input_tokens': cached,
  'gen_ai.usage.reasoning.output_tokens': reasoning,
});
const completed = (reason = 'stop') => ({ 'gen_ai.response.finish_reasons': [reason], 'costtrace.call.outcome': 'completed' });
const cancelled = { 'costtrace.call.outcome': 'cancelled', 'gen_ai.response.finish_reasons': ['error'], 'costtrace.usage.estimated': true };
const anyId = expect.stringMatching(/^chatcmpl-/);
// gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
const mini = (cost: Parameters<typeof pricedAttrs>[2], tokens: [number, number]) => pricedAttrs('openai', 'gpt-4o-mini', cost, tokens);
const miniEstimated = estimatedAttrs('openai', 'gpt-4o-mini');

describe.each(fixturesFor('openai').flatMap((f) => (['esm', 'cjs'] as ModuleSystem[]).map((m) => [f, m] as const)))(
  'openai instrumentation: %s, %s',
  (fixture, mode) => {
    const servers = useServers();
    const run = useRun(servers, { fixture, mode, scenarios: SCENARIOS, env: { COSTTRACE_UNREAD_STREAM_TIMEOUT_MS: '500' } });
    const outcome = (name: string) => run().outcomes[`openai/${name}`]!;
    const span = (name: string) => onlySpan(outcome(name).spans, SCOPE);
    const request = (name: string) => servers.fake().requests.find((r) => r.scenario === `${scenarioPrefix({ fixture, mode })}openai/${name}`)!;

    itBehavesAsWithoutInstrumentation(servers, { fixture, mode, scenarios: SCENARIOS }, run);

    it('records a plain chat completion with request parameters and cached tokens', () => {
      expect(outcome('chat-basic').result).toMatchObject({ content: 'Hello there friend', model: 'gpt-4o-mini' });
      expect(attrs(span('chat-basic'))).toEqual({
        ...chat(), 'gen_ai.request.max_tokens': 50, 'gen_ai.request.temperature': 0.2,
        ...response(anyId), ...usage(120, 3, 64), ...completed(),
        // 56 × 0.15 + 64 × 0.075 + 3 × 0.60 = 8.4 + 4.8 + 1.8 = 15 µ$
        ...mini({ total: 0.000015, input: 0.0000084, cacheRead: 0.0000048, output: 0.0000018 }, [120, 3]),
      });
    });

    it('gets exact usage for a stream the caller did not ask usage for, and hides the usage chunk', () => {
      const result = outcome('chat-stream').result as { chunks: Array<Record<string, unknown>>; hasController: boolean };
      expect(result.hasController).toBe(true);
      expect(result.chunks).toHaveLength(7); // role chunk, five words, finish chunk: no usage chunk
      for (const chunk of result.chunks) expect(chunk).not.toHaveProperty('usage');
      expect(request('chat-stream').body).toMatchObject({ stream_options: { include_usage: true } });
      // 40 × 0.15 + 5 × 0.60 = 6 + 3 = 9 µ$
      expect(attrs(span('chat-stream'))).toEqual({
        ...chat(), ...response(anyId), ...usage(40, 5), ...completed(),
        ...mini({ total: 0.000009, input: 0.000006, output: 0.000003 }, [40, 5]),
      });
    });

    it('passes the usage chunk through when the caller asked for it', () => {
      expect(outcome('chat-stream-usage').result).toMatchObject({ chunks: 6, nullUsageOnContent: true, last: { prompt_tokens: 30 } });
      // 30 × 0.15 + 3 × 0.60 = 4.5 + 1.8 = 6.3 µ$
      expect(attrs(span('chat-stream-usage'))).toEqual({
        ...chat(), ...response(anyId), ...usage(30, 3), ...completed(),
        ...mini({ total: 0.0000063, input: 0.0000045, output: 0.0000018 }, [30, 3]),
      });
    });

    it('ends a stream the consumer broke out of as cancelled, and the request stops', async () => {
      expect(outcome('chat-stream-break').result).toEqual({ seen: 2 });
      expect(request('chat-stream-break').clientClosedEarly).toBe(true);
      const a = attrs(span('chat-stream-break'));
      expect(a).toEqual({
        ...chat(), ...response(anyId), 'gen_ai.usage.input_tokens': expect.any(Number), 'gen_ai.usage.output_tokens': 1,
        ...cancelled, ...miniEstimated,
      });
    });

    it('ends a stream the caller aborted through its own signal as cancelled, and the request stops', () => {
      expect(outcome('chat-abort').result).toEqual({ seen: 2, ended: 'silently' });
      // fake-llm sent one delta and was waiting when the connection closed.
      const r = request('chat-abort');
      expect([r.clientClosedEarly, r.completed, r.chunksSent]).toEqual([true, false, 1]);
      expect(span('chat-abort').status.code).toBe(0);
      expect(attrs(span('chat-abort'))['costtrace.call.outcome']).toBe('cancelled');
    });

    it('keeps the SDK error class and records error.type', () => {
      expect(outcome('chat-error').result).toEqual({ error: { ctor: 'RateLimitError', name: 'Error', status: 429, message: '429 Slow down' } });
      const s = span('chat-error');
      expect(s.status).toEqual({ code: 2, message: '429 Slow down' });
      expect(attrs(s)).toEqual({
        ...chat(), 'error.type': 'RateLimitError', 'gen_ai.response.finish_reasons': ['error'], 'costtrace.call.outcome': 'error',
        // No usage: unpriced, never a silent $0, and counted as such.
        'costtrace.pricing.status': 'unpriced', 'costtrace.pricing.reason': 'the span carries no token usage',
        'costtrace.run.id': expect.any(String), 'costtrace.subtree.llm_calls': 1, 'costtrace.subtree.unpriced_calls': 1,
        'costtrace.subtree.input_tokens': 0, 'costtrace.subtree.output_tokens': 0,
      });
    });

    it('keeps withResponse() working with usage recorded', () => {
      expect(outcome('chat-with-response').result).toEqual({ content: 'ok', status: 200, requestId: true });
      // 10 × 0.15 + 1 × 0.60 = 2.1 µ$
      expect(attrs(span('chat-with-response'))).toEqual({
        ...chat(), ...response(anyId), ...usage(10, 1), ...completed(),
        ...mini({ total: 0.0000021, input: 0.0000015, output: 0.0000006 }, [10, 1]),
      });
    });

    it('never reads an asResponse() body: the caller parses it, the span carries the estimated worst case', () => {
      expect(outcome('chat-as-response').result).toMatchObject({ status: 200, content: 'raw body', usage: { prompt_tokens: 10 } });
      expect(attrs(span('chat-as-response'))).toEqual({
        ...chat(), 'gen_ai.request.max_tokens': 20,
        'gen_ai.usage.input_tokens': expect.any(Number), 'gen_ai.usage.output_tokens': 20,
        'costtrace.usage.estimated': true, 'costtrace.call.outcome': 'completed', ...miniEstimated,
      });
    });

    it('observes a teed stream once', () => {
      expect(outcome('stream-tee').result).toEqual({ a: 'x y z', b: 'x y z' });
      // 12 × 0.15 + 3 × 0.60 = 1.8 + 1.8 = 3.6 µ$
      expect(attrs(span('stream-tee'))).toEqual({
        ...chat(), ...response(anyId), ...usage(12, 3), ...completed(),
        ...mini({ total: 0.0000036, input: 0.0000018, output: 0.0000018 }, [12, 3]),
      });
    });

    it('observes a stream read through toReadableStream()', () => {
      expect(outcome('stream-readable').result).toEqual({ lines: 6 });
      // 14 × 0.15 + 4 × 0.60 = 2.1 + 2.4 = 4.5 µ$
      expect(attrs(span('stream-readable'))).toEqual({
        ...chat(), ...response(anyId), ...usage(14, 4), ...completed(),
        ...mini({ total: 0.0000045, input: 0.0000021, output: 0.0000024 }, [14, 4]),
      });
    });

    it('ends a stream that is never read after the unread timeout, without touching the request', () => {
      expect(outcome('stream-never-read').result).toEqual({ dropped: true });
      expect(attrs(span('stream-never-read'))).toEqual({
        ...chat(), 'costtrace.stream.unread': true, 'gen_ai.usage.input_tokens': expect.any(Number), ...cancelled, ...miniEstimated,
      });
    });

    it.each(['helper-stream', 'helper-parse'])('records one span for the %s helper', (name) => {
      expect(outcome(name).result).toBeTruthy();
      // stream: 25 × 0.15 + 3 × 0.60 = 3.75 + 1.8 = 5.55 µ$; parse: 30 × 0.15 + 6 × 0.60 = 4.5 + 3.6 = 8.1 µ$
      const expected =
        name === 'helper-stream'
          ? { ...usage(25, 3), ...mini({ total: 0.00000555, input: 0.00000375, output: 0.0000018 }, [25, 3]) }
          : { ...usage(30, 6), ...mini({ total: 0.0000081, input: 0.0000045, output: 0.0000036 }, [30, 6]) };
      expect(attrs(span(name))).toEqual({ ...chat(), ...response(anyId), ...expected, ...completed() });
    });

    it('records the Responses API, plain and streaming', () => {
      expect(outcome('responses-basic').result).toMatchObject({ text: 'A response' });
      expect(attrs(span('responses-basic'))).toEqual({
        ...chat('gpt-4.1'), 'gen_ai.request.max_tokens': 100,
        ...response(expect.stringMatching(/^resp_/), 'gpt-4.1'), ...usage(50, 2, 10, 1), ...completed('completed'),
        // gpt-4.1 ($2 input, $0.50 cached, $8 output): 40 × 2 + 10 × 0.5 + 2 × 8 = 80 + 5 + 16 = 101 µ$
        ...pricedAttrs('openai', 'gpt-4.1', { total: 0.000101, input: 0.00008, cacheRead: 0.000005, output: 0.000016 }, [50, 2]),
      });
      expect(outcome('responses-stream').result).toMatchObject({ types: expect.arrayContaining(['response.completed']) });
      expect(attrs(span('responses-stream'))).toEqual({
        ...chat('gpt-4.1'), ...response(expect.stringMatching(/^resp_/), 'gpt-4.1'), ...usage(60, 3), ...completed('completed'),
        // 60 × 2 + 3 × 8 = 120 + 24 = 144 µ$
        ...pricedAttrs('openai', 'gpt-4.1', { total: 0.000144, input: 0.00012, output: 0.000024 }, [60, 3]),
      });
    });

    it('records embeddings', () => {
      expect(outcome('embeddings').result).toEqual({ count: 2, dims: 8, usage: { prompt_tokens: 7, total_tokens: 7 } });
      expect(attrs(span('embeddings'))).toEqual({
        'gen_ai.operation.name': 'embeddings', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'text-embedding-3-small',
        'server.address': '127.0.0.1', 'gen_ai.response.model': 'text-embedding-3-small', 'gen_ai.usage.input_tokens': 7,
        'costtrace.call.outcome': 'completed',
        // 7 × $0.02 per million = 0.14 µ$
        ...pricedAttrs('openai', 'text-embedding-3-small', { total: 0.00000014, input: 0.00000014, output: 0 }, [7, 0]),
      });
    });

    it('ends a stream whose connection drops mid-way as an error, with the SDK error for the caller', () => {
      const result = outcome('stream-disconnect').result as { seen: number; error: { ctor: string } };
      expect(result.error).not.toBeNull();
      const s = span('stream-disconnect');
      expect(s.status.code).toBe(2);
      expect(attrs(s)).toEqual({
        ...chat(), ...response(anyId), 'gen_ai.usage.input_tokens': expect.any(Number), 'gen_ai.usage.output_tokens': expect.any(Number),
        'costtrace.usage.estimated': true, 'costtrace.call.outcome': 'error', 'gen_ai.response.finish_reasons': ['error'],
        'error.type': result.error.ctor, ...miniEstimated,
      });
    });

    it('keeps the call working when the usage block is malformed, falling back to our estimate', () => {
      expect(outcome('malformed-usage').result).toMatchObject({ content: 'still fine' });
      const a = attrs(span('malformed-usage'));
      expect(a).toMatchObject({ 'costtrace.call.outcome': 'completed', 'costtrace.usage.estimated': true, 'costtrace.pricing.status': 'estimated' });
      expect(a['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
    });

    it('puts no API key in any span, and sends no baggage to the provider', () => {
      const all = JSON.stringify(Object.values(run().outcomes).flatMap((o) => o.spans));
      expect(all).not.toContain('sk-test-secret');
      expect(outcome('baggage').result).toEqual({ content: 'ok' });
      expect(JSON.stringify(request('baggage').headers)).not.toContain('acme-secret-tenant');
      expect(request('baggage').headers).not.toHaveProperty('baggage');
    });
  },
);
