// Out of process: real openai clients (each supported major, ESM and CommonJS) under
// `node --import/--require @costtrace/register`, against fake-llm, spans over OTLP/HTTP.
import { describe, expect, it } from 'vitest';
import { attrs, expectCleanExit, onlySpan, useRun, useServers } from './helpers/e2e';
import { fixturesFor, type ModuleSystem } from './helpers/scenario-runner';

const SCOPE = '@costtrace/instrumentation-openai';
const SCENARIOS = [
  'chat-basic', 'chat-stream', 'chat-stream-usage', 'chat-stream-break', 'chat-abort', 'chat-error',
  'chat-with-response', 'chat-as-response', 'stream-tee', 'stream-readable', 'stream-never-read',
  'helper-stream', 'helper-parse', 'responses-basic', 'responses-stream', 'embeddings',
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

describe.each(fixturesFor('openai').flatMap((f) => (['esm', 'cjs'] as ModuleSystem[]).map((m) => [f, m] as const)))(
  'openai instrumentation: %s, %s',
  (fixture, mode) => {
    const servers = useServers();
    const run = useRun(servers, { fixture, mode, scenarios: SCENARIOS, env: { COSTTRACE_UNREAD_STREAM_TIMEOUT_MS: '100' } });
    const outcome = (name: string) => run().outcomes[`openai/${name}`]!;
    const span = (name: string) => onlySpan(outcome(name).spans, SCOPE);
    const request = (name: string) => servers.fake().requests.find((r) => r.scenario === `${fixture}-${mode}-openai/${name}`)!;

    it('runs every scenario and exits cleanly, printing nothing', () => {
      expectCleanExit(run());
      expect(Object.keys(run().outcomes).sort()).toEqual([...SCENARIOS].sort());
    });

    it('records a plain chat completion with request parameters and cached tokens', () => {
      expect(outcome('chat-basic').result).toMatchObject({ content: 'Hello there friend', model: 'gpt-4o-mini' });
      expect(attrs(span('chat-basic'))).toEqual({
        ...chat(), 'gen_ai.request.max_tokens': 50, 'gen_ai.request.temperature': 0.2,
        ...response(anyId), ...usage(120, 3, 64), ...completed(),
      });
    });

    it('gets exact usage for a stream the caller did not ask usage for, and hides the usage chunk', () => {
      const result = outcome('chat-stream').result as { chunks: Array<Record<string, unknown>>; hasController: boolean };
      expect(result.hasController).toBe(true);
      expect(result.chunks).toHaveLength(7); // role chunk, five words, finish chunk: no usage chunk
      for (const chunk of result.chunks) expect(chunk).not.toHaveProperty('usage');
      expect(request('chat-stream').body).toMatchObject({ stream_options: { include_usage: true } });
      expect(attrs(span('chat-stream'))).toEqual({ ...chat(), ...response(anyId), ...usage(40, 5), ...completed() });
    });

    it('passes the usage chunk through when the caller asked for it', () => {
      expect(outcome('chat-stream-usage').result).toMatchObject({ chunks: 6, nullUsageOnContent: true, last: { prompt_tokens: 30 } });
      expect(attrs(span('chat-stream-usage'))).toEqual({ ...chat(), ...response(anyId), ...usage(30, 3), ...completed() });
    });

    it('ends a stream the consumer broke out of as cancelled, and the request stops', async () => {
      expect(outcome('chat-stream-break').result).toEqual({ seen: 2 });
      expect(request('chat-stream-break').clientClosedEarly).toBe(true);
      const a = attrs(span('chat-stream-break'));
      expect(a).toEqual({ ...chat(), ...response(anyId), 'gen_ai.usage.input_tokens': expect.any(Number), 'gen_ai.usage.output_tokens': 1, ...cancelled });
    });

    it('ends a stream the caller aborted through its own signal as cancelled, and the request stops', () => {
      expect(outcome('chat-abort').result).toEqual({ seen: 2, ended: 'silently' });
      expect(request('chat-abort').clientClosedEarly).toBe(true);
      expect(span('chat-abort').status.code).toBe(0);
      expect(attrs(span('chat-abort'))['costtrace.call.outcome']).toBe('cancelled');
    });

    it('keeps the SDK error class and records error.type', () => {
      expect(outcome('chat-error').result).toEqual({ error: { ctor: 'RateLimitError', name: 'Error', status: 429, message: '429 Slow down' } });
      const s = span('chat-error');
      expect(s.status).toEqual({ code: 2, message: '429 Slow down' });
      expect(attrs(s)).toEqual({ ...chat(), 'error.type': 'RateLimitError', 'gen_ai.response.finish_reasons': ['error'], 'costtrace.call.outcome': 'error' });
    });

    it('keeps withResponse() working with usage recorded', () => {
      expect(outcome('chat-with-response').result).toEqual({ content: 'ok', status: 200, requestId: true });
      expect(attrs(span('chat-with-response'))).toEqual({ ...chat(), ...response(anyId), ...usage(10, 1), ...completed() });
    });

    it('never reads an asResponse() body: the caller parses it, the span carries the estimated worst case', () => {
      expect(outcome('chat-as-response').result).toMatchObject({ status: 200, content: 'raw body', usage: { prompt_tokens: 10 } });
      expect(attrs(span('chat-as-response'))).toEqual({
        ...chat(), 'gen_ai.request.max_tokens': 20,
        'gen_ai.usage.input_tokens': expect.any(Number), 'gen_ai.usage.output_tokens': 20,
        'costtrace.usage.estimated': true, 'costtrace.call.outcome': 'completed',
      });
    });

    it('observes a teed stream once', () => {
      expect(outcome('stream-tee').result).toEqual({ a: 'x y z', b: 'x y z' });
      expect(attrs(span('stream-tee'))).toEqual({ ...chat(), ...response(anyId), ...usage(12, 3), ...completed() });
    });

    it('observes a stream read through toReadableStream()', () => {
      expect(outcome('stream-readable').result).toEqual({ lines: 6 });
      expect(attrs(span('stream-readable'))).toEqual({ ...chat(), ...response(anyId), ...usage(14, 4), ...completed() });
    });

    it('ends a stream that is never read after the unread timeout, without touching the request', () => {
      expect(outcome('stream-never-read').result).toEqual({ dropped: true });
      expect(attrs(span('stream-never-read'))).toEqual({
        ...chat(), 'costtrace.stream.unread': true, 'gen_ai.usage.input_tokens': expect.any(Number), ...cancelled,
      });
    });

    it.each(['helper-stream', 'helper-parse'])('records one span for the %s helper', (name) => {
      expect(outcome(name).result).toBeTruthy();
      const tokens = name === 'helper-stream' ? usage(25, 3) : usage(30, 6);
      expect(attrs(span(name))).toEqual({ ...chat(), ...response(anyId), ...tokens, ...completed() });
    });

    it('records the Responses API, plain and streaming', () => {
      expect(outcome('responses-basic').result).toMatchObject({ text: 'A response' });
      expect(attrs(span('responses-basic'))).toEqual({
        ...chat('gpt-4.1'), 'gen_ai.request.max_tokens': 100,
        ...response(expect.stringMatching(/^resp_/), 'gpt-4.1'), ...usage(50, 2, 10, 1), ...completed('completed'),
      });
      expect(outcome('responses-stream').result).toMatchObject({ types: expect.arrayContaining(['response.completed']) });
      expect(attrs(span('responses-stream'))).toEqual({
        ...chat('gpt-4.1'), ...response(expect.stringMatching(/^resp_/), 'gpt-4.1'), ...usage(60, 3), ...completed('completed'),
      });
    });

    it('records embeddings', () => {
      expect(outcome('embeddings').result).toEqual({ count: 2, dims: 8, usage: { prompt_tokens: 7, total_tokens: 7 } });
      expect(attrs(span('embeddings'))).toEqual({
        'gen_ai.operation.name': 'embeddings', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'text-embedding-3-small',
        'server.address': '127.0.0.1', 'gen_ai.response.model': 'text-embedding-3-small', 'gen_ai.usage.input_tokens': 7,
        'costtrace.call.outcome': 'completed',
      });
    });

    it('sends no API key and no baggage anywhere in the spans', () => {
      const all = JSON.stringify(Object.values(run().outcomes).flatMap((o) => o.spans));
      expect(all).not.toContain('sk-test-secret');
    });
  },
);
