// Out of process: real @anthropic-ai/sdk clients (latest 0.x and 1.x, ESM and CommonJS) under
// `node --import/--require @costtrace/register`, with the SDK's own OpenTelemetry spans on and off.
import { describe, expect, it } from 'vitest';
import { attrs, estimatedAttrs, itBehavesAsWithoutInstrumentation, onlySpan, pricedAttrs, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import { fixturesFor, scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

const SCOPE = '@costtrace/instrumentation-anthropic';
const SDK_SCOPE = 'com.anthropic.sdk.typescript';
const SCENARIOS = [
  'messages-basic', 'messages-stream', 'messages-stream-helper', 'messages-break', 'messages-abort', 'messages-error',
  'messages-with-response', 'messages-as-response', 'beta-messages', 'stream-never-read', 'baggage',
  'stream-error', 'malformed-usage',
].map((s) => `anthropic/${s}`);

const chat = (model: string, maxTokens: number, stream = false) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': model,
  'server.address': '127.0.0.1',
  'gen_ai.request.max_tokens': maxTokens,
  ...(stream ? { 'gen_ai.request.stream': true } : {}),
});
const response = (model: string) => ({
  'gen_ai.response.id': expect.stringMatching(/^msg_/),
  'gen_ai.response.model': model,
  'anthropic.response.service_tier': 'standard',
});
const usage = (input: number, output: number, read = 0, write = 0, write5m = 0, write1h = 0) => ({
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': output,
  'gen_ai.usage.cache_read.input_tokens': read,
  'gen_ai.usage.cache_write.input_tokens': write,
  'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': write5m,
  'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': write1h,
});
const completed = { 'gen_ai.response.finish_reasons': ['end_turn'], 'costtrace.call.outcome': 'completed' };
const cancelled = { 'costtrace.call.outcome': 'cancelled', 'gen_ai.response.finish_reasons': ['error'], 'costtrace.usage.estimated': true };
// claude-haiku-4-5: $1 input, $0.10 cache read, $5 output per million tokens.
const haiku = (cost: Parameters<typeof pricedAttrs>[2], tokens: [number, number]) => pricedAttrs('anthropic', 'claude-haiku-4-5', cost, tokens);

const matrix = fixturesFor('anthropic').flatMap((f) =>
  (['esm', 'cjs'] as ModuleSystem[]).flatMap((m) => (['sdk-spans-on', 'sdk-spans-off'] as const).map((t) => [f, m, t] as const)),
);

describe.each(matrix)('anthropic instrumentation: %s, %s, %s', (fixture, mode, sdkTracing) => {
  const servers = useServers();
  const run = useRun(servers, {
    fixture,
    mode,
    scenarios: SCENARIOS,
    env: { COSTTRACE_UNREAD_STREAM_TIMEOUT_MS: '500', ...(sdkTracing === 'sdk-spans-off' ? { ANTHROPIC_OPEN_TELEMETRY: 'false' } : {}) },
  });
  const outcome = (name: string) => run().outcomes[`anthropic/${name}`]!;
  const span = (name: string) => onlySpan(outcome(name).spans, SCOPE);
  const request = (name: string) => servers.fake().requests.find((r) => r.scenario === `${scenarioPrefix({ fixture, mode })}anthropic/${name}`)!;

  itBehavesAsWithoutInstrumentation(servers, { fixture, mode, scenarios: SCENARIOS }, run);

  it.each(SCENARIOS.map((s) => s.slice('anthropic/'.length)))('%s: one model call is counted once', (name) => {
    const spans = outcome(name).spans;
    const ours = onlySpan(spans, SCOPE);
    const sdk = spans.filter((s: ReceivedSpan) => s.scope === SDK_SCOPE);
    // The SDK's own span, when it traces, is a child of ours and marked duplicate: never priced twice.
    if (sdkTracing === 'sdk-spans-off' || name === 'stream-never-read') expect(sdk).toEqual([]);
    else expect(sdk.map((s) => [s.parentSpanId, s.attributes['costtrace.pricing.status']])).toEqual([[ours.spanId, 'duplicate']]);
    const counted = spans.filter((s) => ['priced', 'estimated', 'unpriced', 'invalid'].includes(String(s.attributes['costtrace.pricing.status'])));
    expect(counted.map((s) => s.spanId)).toEqual([ours.spanId]);
  });

  it('records usage with cache reads and writes by lifetime, priced as billed', () => {
    expect(outcome('messages-basic').result).toMatchObject({ text: 'Bonjour', stop: 'end_turn', usage: { input_tokens: 100 } });
    expect(attrs(span('messages-basic'))).toEqual({
      ...chat('claude-sonnet-4-6', 256), ...response('claude-sonnet-4-6'), ...usage(1300, 12, 1000, 200, 150, 50), ...completed,
      // claude-sonnet-4-6 ($3 input, $0.30 read, $3.75 5-minute write, $6 1-hour write, $15 output):
      // 100 × 3 + 1000 × 0.30 + (150 × 3.75 + 50 × 6) + 12 × 15 = 300 + 300 + 862.5 + 180 = 1642.5 µ$
      ...pricedAttrs('anthropic', 'claude-sonnet-4-6',
        { total: 0.0016425, input: 0.0003, cacheRead: 0.0003, cacheWrite: 0.0008625, output: 0.00018 }, [1300, 12]),
    });
  });

  it('records a raw stream from message_start and message_delta usage', () => {
    expect(outcome('messages-stream').result).toMatchObject({ hasController: true, types: expect.arrayContaining(['message_stop']) });
    expect(attrs(span('messages-stream'))).toEqual({
      ...chat('claude-haiku-4-5', 64, true), ...response('claude-haiku-4-5'), ...usage(90, 3, 40), ...completed,
      // 50 × 1 + 40 × 0.10 + 3 × 5 = 50 + 4 + 15 = 69 µ$
      ...haiku({ total: 0.000069, input: 0.00005, cacheRead: 0.000004, output: 0.000015 }, [90, 3]),
    });
  });

  it('records one span for the messages.stream() helper, whose MessageStream works unchanged', () => {
    expect(outcome('messages-stream-helper').result).toMatchObject({ texts: 3, text: 'helper text here', usage: { output_tokens: 3 } });
    expect(attrs(span('messages-stream-helper'))).toEqual({
      ...chat('claude-haiku-4-5', 64, true), ...response('claude-haiku-4-5'), ...usage(70, 3), ...completed,
      // 70 × 1 + 3 × 5 = 85 µ$
      ...haiku({ total: 0.000085, input: 0.00007, output: 0.000015 }, [70, 3]),
    });
  });

  it.each(['messages-break', 'messages-abort'])('%s: ends as cancelled and the request really stops', (name) => {
    expect(outcome(name).result).toMatchObject({ seen: 3 });
    expect(request(name).clientClosedEarly).toBe(true);
    expect(span(name).status.code).toBe(0);
    expect(attrs(span(name))).toEqual({
      ...chat('claude-haiku-4-5', 64, true), ...response('claude-haiku-4-5'), ...usage(20, expect.any(Number)),
      ...cancelled, ...estimatedAttrs('anthropic', 'claude-haiku-4-5'),
    });
  });

  it('keeps the SDK error class and records error.type', () => {
    // anthropic 0.x maps HTTP 529 to InternalServerError; 1.x has OverloadedError.
    const errorClass = fixture === 'anthropic-v0' ? 'InternalServerError' : 'OverloadedError';
    expect(outcome('messages-error').result).toMatchObject({ error: { ctor: errorClass, status: 529 } });
    const s = span('messages-error');
    expect(s.status.code).toBe(2);
    expect(attrs(s)).toEqual({
      ...chat('claude-haiku-4-5', 10), 'error.type': errorClass, 'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'error', 'costtrace.pricing.status': 'unpriced', 'costtrace.pricing.reason': 'the span carries no token usage',
      'costtrace.run.id': expect.any(String), 'costtrace.subtree.llm_calls': 1, 'costtrace.subtree.unpriced_calls': 1,
      'costtrace.subtree.input_tokens': 0, 'costtrace.subtree.output_tokens': 0,
    });
  });

  it('keeps withResponse() working, and never reads an asResponse() body', () => {
    expect(outcome('messages-with-response').result).toEqual({ text: 'ok', status: 200 });
    expect(attrs(span('messages-with-response'))).toEqual({
      ...chat('claude-haiku-4-5', 10), ...response('claude-haiku-4-5'), ...usage(11, 1), ...completed,
      ...haiku({ total: 0.000016, input: 0.000011, output: 0.000005 }, [11, 1]),
    });
    expect(outcome('messages-as-response').result).toEqual({ status: 200, text: 'raw' });
    expect(attrs(span('messages-as-response'))).toEqual({
      ...chat('claude-haiku-4-5', 10), 'gen_ai.usage.input_tokens': expect.any(Number), 'gen_ai.usage.output_tokens': 10,
      'costtrace.usage.estimated': true, 'costtrace.call.outcome': 'completed', ...estimatedAttrs('anthropic', 'claude-haiku-4-5'),
    });
  });

  it('records beta.messages calls', () => {
    expect(outcome('beta-messages').result).toEqual({ text: 'beta' });
    expect(attrs(span('beta-messages'))).toEqual({
      ...chat('claude-sonnet-4-6', 32), ...response('claude-sonnet-4-6'), ...usage(33, 1), ...completed,
      // 33 × 3 + 1 × 15 = 114 µ$
      ...pricedAttrs('anthropic', 'claude-sonnet-4-6', { total: 0.000114, input: 0.000099, output: 0.000015 }, [33, 1]),
    });
  });

  it('ends a stream that is never read after the unread timeout', () => {
    expect(attrs(span('stream-never-read'))).toEqual({
      ...chat('claude-haiku-4-5', 16, true), 'costtrace.stream.unread': true,
      'gen_ai.usage.input_tokens': expect.any(Number), 'gen_ai.usage.output_tokens': 16,
      ...cancelled, ...estimatedAttrs('anthropic', 'claude-haiku-4-5'),
    });
  });

  it('ends a stream with a mid-stream error event as an error, with the SDK error for the caller', () => {
    const result = outcome('stream-error').result as { seen: number; error: { ctor: string } };
    expect(result.error).toMatchObject({ ctor: expect.any(String) });
    const s = span('stream-error');
    expect(s.status.code).toBe(2);
    expect(attrs(s)).toMatchObject({ 'costtrace.call.outcome': 'error', 'error.type': result.error.ctor, 'gen_ai.response.finish_reasons': ['error'] });
  });

  it('keeps the call working when the usage block is malformed, falling back to our estimate', () => {
    expect(outcome('malformed-usage').result).toEqual({ text: 'still fine' });
    expect(attrs(span('malformed-usage'))).toMatchObject({
      'costtrace.call.outcome': 'completed', 'costtrace.usage.estimated': true, 'costtrace.pricing.status': 'estimated',
    });
  });

  it('puts no API key in any span, and sends no baggage to the provider', () => {
    const all = JSON.stringify(Object.values(run().outcomes).flatMap((o) => o.spans));
    expect(all).not.toContain('sk-ant-test-secret');
    expect(outcome('baggage').result).toEqual({ text: 'ok' });
    expect(JSON.stringify(request('baggage').headers)).not.toContain('acme-secret-tenant');
  });
});
