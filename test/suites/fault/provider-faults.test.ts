// Fault suite, provider side: the SDKs' retries, streams broken on the wire, provider error events
// and usage blocks no provider should send, run as a user runs an app (`node --import/--require
// @costtrace/register`, the real OTLP exporter), each scenario also run without costtrace
// (OTEL_SDK_DISABLED=true) to compare what the app sees. Scenarios: test/scenarios/fault.
import { describe, expect, it } from 'vitest';
import { comparable, useRun, useServers, type ReceivedSpan } from '../../helpers/e2e';
import { scenarioPrefix, type ModuleSystem } from '../../helpers/scenario-runner';

const SCENARIOS = ['fault/sdk-retries', 'fault/stream-faults', 'fault/bad-usage'];
const callSpans = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);
const runSpans = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_workflow');
const usd = (s: ReceivedSpan, key = 'gen_ai.usage.cost.amount') => Number(s.attributes[key]);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Every call span once (no span id twice), each with a finite, non-negative cost; the run charged their sum. */
function expectSpendKept(spans: ReceivedSpan[], calls: number): void {
  const mine = callSpans(spans);
  expect(new Set(mine.map((s) => s.spanId)).size).toBe(mine.length);
  expect(mine).toHaveLength(calls);
  for (const s of mine) {
    expect(Number.isFinite(usd(s)) && usd(s) >= 0, `${s.name}: ${usd(s)}`).toBe(true);
  }
  const [run] = runSpans(spans);
  expect(run!.attributes['costtrace.subtree.llm_calls']).toBe(calls);
  expect(usd(run!, 'costtrace.subtree.cost_usd')).toBeCloseTo(sum(mine.map((s) => usd(s))), 12);
  expect(usd(run!, 'costtrace.budget.spent_usd')).toBeCloseTo(sum(mine.map((s) => usd(s))), 12);
}

describe.each(['esm', 'cjs'] as ModuleSystem[])('provider faults, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'mixed' as const, mode, scenarios: SCENARIOS };
  const run = useRun(servers, opts, { concurrent: true });
  const baseline = useRun(servers, { ...opts, tag: 'baseline', env: { OTEL_SDK_DISABLED: 'true' } }, { concurrent: true });
  const outcome = (name: string) => run().outcomes[name]!;
  const requests = (name: string) => servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix(opts)}${name}`);

  it('runs every scenario, exits 0, leaves no call open, and prints only what the SDKs print themselves', () => {
    expect([run().exitCode, run().signal, run().openCalls]).toEqual([0, null, 0]);
    expect([baseline().exitCode, baseline().signal]).toEqual([0, null]);
    // The SDKs log the garbage SSE lines they cannot parse (console.error), with or without costtrace.
    expect(run().stderr).toBe(baseline().stderr);
    expect(run().stderr).not.toContain('costtrace');
    expect(Object.keys(run().outcomes).sort()).toEqual([...SCENARIOS].sort());
  });

  it.each(SCENARIOS)('%s: the app sees exactly what it sees without costtrace', (name) => {
    expect(baseline().outcomes[name]!.spans).toEqual([]);
    expect(comparable(outcome(name).result ?? outcome(name).error)).toEqual(comparable(baseline().outcomes[name]!.result ?? baseline().outcomes[name]!.error));
  });

  it('SDK retries on 429 (Retry-After), 500 and 529: one span per call, the answered attempt priced once, failed attempts free', () => {
    expect(outcome('fault/sdk-retries').result).toEqual({ openai: { text: 'third time' }, anthropic: { text: 'fourth time' } });
    expect(requests('fault/sdk-retries').map((r) => [r.provider, r.status])).toEqual([
      ['openai', 429], ['openai', 500], ['openai', 200],
      ['anthropic', 529], ['anthropic', 429], ['anthropic', 500], ['anthropic', 200],
    ]);
    const spans = outcome('fault/sdk-retries').spans;
    const calls = callSpans(spans);
    expect(calls.map((s) => [s.name, s.attributes['costtrace.call.outcome'], s.attributes['costtrace.pricing.status'], usd(s)])).toEqual([
      ['chat gpt-4o-mini', 'completed', 'priced', 0.00021],
      ['chat claude-haiku-4-5', 'completed', 'priced', 0.0015],
    ]);
    const runs = runSpans(spans).map((s) => [s.name, s.attributes['costtrace.subtree.llm_calls'], usd(s, 'costtrace.subtree.cost_usd'), usd(s, 'costtrace.budget.spent_usd')]);
    expect(runs.sort()).toEqual([
      ['invoke_workflow anthropic retries', 1, 0.0015, 0.0015],
      ['invoke_workflow openai retries', 1, 0.00021, 0.00021],
    ]);
  });

  it('broken streams (disconnect, truncated, garbage SSE, error events): each call span ends once, as the app saw it, and its spend is kept', () => {
    const seen = outcome('fault/stream-faults').result as Record<string, { text?: string; error?: { ctor: string } }>;
    const calls = callSpans(outcome('fault/stream-faults').spans);
    expectSpendKept(outcome('fault/stream-faults').spans, 8);
    // Span outcome and status follow what the app saw: an error where its loop threw, else completed.
    const byOutcome = calls.map((s) => [s.attributes['costtrace.call.outcome'], s.status.code, s.attributes['error.type'] ?? null]).sort();
    const expected = Object.values(seen).map((v) => (v.error ? ['error', 2, v.error.ctor] : ['completed', 0, null])).sort();
    expect(byOutcome).toEqual(expected);
    // Nothing the provider reported is trusted here: every call is our estimate.
    for (const s of calls) expect(s.attributes['costtrace.pricing.status']).toBe('estimated');
  });

  it('usage absent, empty, negative, fractional, strings or huge: every call completes, estimated, with a finite cost', () => {
    const seen = outcome('fault/bad-usage').result as Record<string, unknown>;
    expect(Object.values(seen)).toEqual(Array(24).fill({ text: 'fine thanks' }));
    expectSpendKept(outcome('fault/bad-usage').spans, 24);
    for (const s of callSpans(outcome('fault/bad-usage').spans)) {
      expect([s.attributes['costtrace.call.outcome'], s.attributes['costtrace.pricing.status'], s.attributes['costtrace.usage.estimated']]).toEqual(['completed', 'estimated', true]);
      for (const key of ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens']) {
        expect(Number.isSafeInteger(s.attributes[key]) && (s.attributes[key] as number) >= 0, `${key}=${s.attributes[key]}`).toBe(true);
      }
    }
  });
});
