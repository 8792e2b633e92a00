// Fault suite, collector side: an app under `node --import @costtrace/register` exporting through the
// real OTLP exporter to a collector that refuses connections, never answers, answers 500, answers 429
// with Retry-After, answers slowly, or is down for a while. The app's calls take no longer, the
// process exits within a bound, the export queue stays bounded, and the metric totals are exact once
// the collector is back. (ESM only: the export path does not depend on how the app loads modules;
// register-exit.test.ts runs the exit bounds under both.)
import { describe, expect, it } from 'vitest';
import { useDeadCollectors } from '../../helpers/dead-collector';
import { useRun, useServers } from '../../helpers/e2e';
import type { ReceivedMetricPoint, ReceiverOptions } from '../../helpers/otlp-receiver';
import type { RunResult } from '../../helpers/scenario-runner';

// As in register-exit.test.ts: the exit deadline is 1.5 s; the bound leaves room for a loaded machine.
const EXIT_BOUND_MS = 6_000;
// A call answered by a loopback fake at once: an export that held the app up would take seconds.
const CALL_BOUND_MS = 2_000;
const DOCUMENTED_WARNINGS = [
  /^\[costtrace\] warn: Dropped \d+ spans because maxQueueSize reached$/,
  /^\[costtrace\] warn: costtrace: could not export (spans|metrics) to http:\/\/127\.0\.0\.1:\d+\/v1\/(traces|metrics) \(.+\); further export errors are logged at debug level$/,
  /^\[costtrace\] warn: costtrace: telemetry not exported within 1500 ms of exit \(collector unreachable\?\); exiting without it$/,
];
const CALLS = 10;
// gpt-4o-mini, 100 input and 10 output tokens: 100 × $0.15 + 10 × $0.60 per million = $0.000021.
const TOTAL_USD = CALLS * 0.000021;

function expectBoundedCleanExit(run: RunResult): void {
  expect([run.exitCode, run.signal]).toEqual([0, null]);
  expect(run.finishedToExitMs).toBeLessThan(EXIT_BOUND_MS);
  for (const line of run.stderr.split('\n').filter(Boolean)) expect(DOCUMENTED_WARNINGS.some((re) => re.test(line)), line).toBe(true);
}

function expectCallsUnharmed(run: RunResult): void {
  const result = run.outcomes['fault/steady-calls']!.result as { latencies: number[]; refused: string };
  expect(result.refused).toBe('refused');
  expect(result.latencies).toHaveLength(CALLS - 1);
  for (const ms of result.latencies) expect(ms, result.latencies.map(Math.round).join(" ")).toBeLessThan(CALL_BOUND_MS);
}

/** A cumulative series' total: its largest value (an export retried late may arrive after a newer one). */
function total(points: ReceivedMetricPoint[], name: string, attrs: Record<string, unknown> = {}, field: 'value' | 'count' | 'sum' = 'value'): number {
  const mine = points.filter((p) => p.name === name && Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));
  // One series per attribute set: add up each series' largest value.
  const bySeries = new Map<string, number>();
  for (const p of mine) {
    const key = JSON.stringify(p.attributes);
    bySeries.set(key, Math.max(bySeries.get(key) ?? 0, p[field] ?? 0));
  }
  return [...bySeries.values()].reduce((a, b) => a + b, 0);
}

/** Run options whose env is built when the run starts (the dead collectors' ports are known only then). */
function lazyEnv<T extends object>(opts: T, env: () => Record<string, string>): T & { env: Record<string, string> } {
  return Object.defineProperty(opts, 'env', { enumerable: true, get: env }) as T & { env: Record<string, string> };
}

const steady = { fixture: 'mixed' as const, mode: 'esm' as const, scenarios: ['fault/steady-calls'] };
const METRICS_OFTEN = { OTEL_METRIC_EXPORT_INTERVAL: '300' };

/** A collector that answers as `answer` says; the run's telemetry and its result. */
function collectorCase(name: string, answer: ReceiverOptions['answer'], exactTotals: boolean, allSpans: boolean, fault?: number): void {
  describe(`collector ${name}`, () => {
    const servers = useServers({ answer });
    const run = useRun(servers, { ...steady, tag: name.replace(/\W+/g, '-'), env: METRICS_OFTEN }, { concurrent: true });

    if (fault !== undefined) {
      it(`the exporter met the fault (${fault}) on traces and metrics, and tried again`, () => {
        for (const path of ['/v1/traces', '/v1/metrics']) {
          const statuses = servers.receiver().raw.filter((r) => r.path === path).map((r) => r.status);
          expect(statuses).toContain(fault);
          expect(statuses.length).toBeGreaterThan(1);
        }
      });
    }

    it('the calls take no longer, and the process exits in time with at most the documented warnings', () => {
      expectCallsUnharmed(run());
      expectBoundedCleanExit(run());
    });

    if (exactTotals) {
      it('metric totals are exact: cost, calls refused, tokens', () => {
        const points = servers.receiver().metrics;
        expect(total(points, 'costtrace.cost')).toBeCloseTo(TOTAL_USD, 12);
        expect(total(points, 'costtrace.budget.refused_calls')).toBe(1);
        expect(total(points, 'gen_ai.client.token.usage', { 'gen_ai.token.type': 'input' }, 'count')).toBe(CALLS);
        expect(total(points, 'gen_ai.client.token.usage', { 'gen_ai.token.type': 'input' }, 'sum')).toBe(CALLS * 100);
      });
    }
    if (allSpans) {
      it('every call span arrives once', () => {
        const calls = run().outcomes['fault/steady-calls']!.spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);
        expect(calls).toHaveLength(CALLS + 1);
        expect(new Set(calls.map((s) => s.spanId)).size).toBe(CALLS + 1);
      });
    }
  });
}

collectorCase('healthy', undefined, true, true);
collectorCase('answering 500', () => ({ status: 500 }), false, false, 500);
collectorCase('answering 429 with Retry-After: 1 at first', (_path, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : undefined), true, true, 429);
collectorCase('answering after 700 ms', () => ({ status: 200, delayMs: 700 }), true, true);
{
  // Down (503) for the first 1.2 s after its first request, then back.
  let firstAt: number | undefined;
  collectorCase('down for 1.2 s, then back', () => {
    firstAt ??= Date.now();
    return Date.now() - firstAt < 1_200 ? { status: 503 } : undefined;
  }, true, false, 503);
}

describe('collector unreachable', () => {
  const servers = useServers();
  const dead = useDeadCollectors();
  // Batches every 500 ms: the app's 1.5 s of work leaves a few exports (fewer than the 8 register keeps
  // out at once) still retrying or waiting when it finishes. Documented (register README): their
  // retries and request timeouts hold the process until the exporter gives up (its 10 s timeout).
  // Not covered: more batches than that still queued at the end start one after another, each with
  // a fresh 10 s (with OTEL_BSP_SCHEDULE_DELAY=100 a refused collector kept this app alive past 15 s).
  const env = (url: () => string) => () => ({ OTEL_BSP_SCHEDULE_DELAY: '500', OTEL_EXPORTER_OTLP_ENDPOINT: url() });
  const refused = useRun(servers, lazyEnv({ ...steady, tag: 'refused' }, env(() => dead().refused)), { concurrent: true });
  const blackHole = useRun(servers, lazyEnv({ ...steady, tag: 'black-hole' }, env(() => dead().blackHole)), { concurrent: true });
  const EXPORT_TIMEOUT_BOUND_MS = 10_000 + 4_000;

  it.each([['refusing connections', refused], ['a black hole', blackHole]])('%s: the calls take no longer, the process exits once the exporter gives up', (_name, run) => {
    expectCallsUnharmed(run());
    expect([run().exitCode, run().signal]).toEqual([0, null]);
    expect(run().finishedToExitMs).toBeLessThan(EXPORT_TIMEOUT_BOUND_MS);
    for (const line of run().stderr.split('\n').filter(Boolean)) expect(DOCUMENTED_WARNINGS.some((re) => re.test(line)), line).toBe(true);
  });
});

describe('export queue with a black-hole collector', () => {
  const servers = useServers();
  const dead = useDeadCollectors();
  const run = useRun(
    servers,
    lazyEnv({ fixture: 'mixed' as const, mode: 'esm' as const, scenarios: ['register/many-spans'] }, () => ({
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_BSP_MAX_QUEUE_SIZE: '500',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${dead().blackHole}/v1/traces`,
    })),
  );

  it('3,000 spans against a collector that never answers: at most 8 exports open at once, the overflow dropped and said once', () => {
    expectBoundedCleanExit(run());
    expect(dead().blackHoleConnections()).toBeGreaterThan(0);
    expect(dead().blackHoleConnections()).toBeLessThanOrEqual(8);
    expect(run().stderr.split('\n').filter((l) => l.includes('Dropped'))).toHaveLength(1);
  });
});
