import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BUDGET_UTILIZATION_HISTOGRAM_BUCKETS, RUN_COST_HISTOGRAM_BUCKETS_USD } from '@costtrace/semconv';
import { useServers, type ReceivedSpan } from './helpers/e2e';
import {
  freePort,
  histogramQuantile,
  PROMETHEUS_BIN,
  skipReason,
  startPrometheus,
  waitUntil,
  type Prometheus,
  type PromSample,
} from './helpers/prometheus-server';
import type { RunResult } from './helpers/scenario-runner';
import { NORMAL_RUNS_B, runViewingService } from './helpers/viewing-service';
import { readmeQueries } from './helpers/viewing-docs';
import { repoRoot } from './helpers/workspace';

// A real Prometheus (Debian's package) scrapes an example service running under
// `node --import @costtrace/register` with OTEL_METRICS_EXPORTER=prometheus; every PromQL query of
// the dashboard and every alert rule runs against it, and each value is checked against the costs
// on the spans the same service exported to the OTLP receiver.
//
// Exactness: the service runs batch A (one sample of every series), Prometheus scrapes it at S,
// then batch B, scraped last at T. Each query runs at T with every range `[$__range]` /
// `[$__rate_interval]` set to exactly T - S: increase() then has samples at both ends of its window
// and does not extrapolate, so it equals batch B's spend.

const skip = skipReason(PROMETHEUS_BIN, 'prometheus');
const dashboardPath = join(repoRoot, 'collector-config/grafana/dashboards/costtrace.json');
const rulesPath = join(repoRoot, 'collector-config/prometheus/costtrace-rules.yml');

interface Expected {
  /** The query's `by` labels, in order; a sample's key is their values joined by `|`. */
  by: string[];
  values: Record<string, number>;
}

describe.skipIf(skip !== undefined)(`dashboard and alert PromQL against a real Prometheus${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const servers = useServers();
  let prom: Prometheus;
  let run: RunResult;
  let S = 0;
  let T = 0;

  beforeAll(async () => {
    const metricsPort = await freePort();
    prom = await startPrometheus(
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(rulesPath)}]`,
        'scrape_configs:',
        '  - job_name: costtrace-app',
        `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }]`,
        '',
      ].join('\n'),
    );
    const runCount = async (): Promise<number | undefined> => (await prom.query('sum(costtrace_run_cost_count)'))[0]?.value;
    const lastScrape = async (): Promise<number> => Math.round((await prom.query('max(timestamp(costtrace_run_cost_count))'))[0]!.value * 1000);
    ({ run } = await runViewingService(servers, {
      metricsPort,
      afterA: async () => {
        await waitUntil('batch A scraped', async () => ((await runCount()) === 2 ? true : undefined));
        S = await lastScrape();
      },
      afterB: async () => {
        await waitUntil('batch B scraped', async () => ((await runCount()) === 2 + NORMAL_RUNS_B + 2 ? true : undefined));
        T = await lastScrape();
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
  });

  /** Batch B's spans: those of every run after the first two (batch A's research and triage runs). */
  function batchB(): { calls: ReceivedSpan[]; runs: ReceivedSpan[]; budgets: ReceivedSpan[] } {
    const spans = run.outcomes['viewing/service']!.spans;
    const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_workflow');
    expect(runs).toHaveLength(2 + NORMAL_RUNS_B + 2);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const runOf = (s: ReceivedSpan): ReceivedSpan | undefined => {
      for (let p: ReceivedSpan | undefined = s; p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) {
        if (p.attributes['gen_ai.operation.name'] === 'invoke_workflow') return p;
      }
      return undefined;
    };
    // The exporter hands spans over in the order they ended: batch A's two runs end first.
    const a = new Set(runs.slice(0, 2).map((r) => r.spanId));
    expect(runs.slice(0, 2).map((r) => r.attributes['costtrace.run.name'])).toEqual(['research', 'triage']);
    const inB = (s: ReceivedSpan): boolean => {
      const r = runOf(s);
      return r !== undefined && !a.has(r.spanId);
    };
    const calls = spans.filter((s) => s.kind === 3 && s.attributes['costtrace.call.outcome'] !== undefined && inB(s));
    return {
      calls,
      runs: runs.filter((r) => !a.has(r.spanId)),
      budgets: spans.filter((s) => s.attributes['costtrace.budget.limit_usd'] !== undefined && inB(s)),
    };
  }

  function sumBy(spans: ReceivedSpan[], key: (s: ReceivedSpan) => string, value: (s: ReceivedSpan) => number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of spans) out[key(s)] = (out[key(s)] ?? 0) + value(s);
    return out;
  }

  function quantilesBy(q: number, spans: ReceivedSpan[], key: (s: ReceivedSpan) => string, value: (s: ReceivedSpan) => number, bounds: readonly number[]): Record<string, number> {
    const groups: Record<string, number[]> = {};
    for (const s of spans) (groups[key(s)] ??= []).push(value(s));
    return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, histogramQuantile(q, v, bounds)]));
  }

  /** What each dashboard query must return, worked out from batch B's spans. */
  function expectations(): Record<string, Expected> {
    const { calls, runs, budgets } = batchB();
    const priced = calls.filter((s) => typeof s.attributes['gen_ai.usage.cost.amount'] === 'number');
    const cost = (s: ReceivedSpan): number => s.attributes['gen_ai.usage.cost.amount'] as number;
    const attr = (name: string) => (s: ReceivedSpan): string => String(s.attributes[name]);
    const runCost = (s: ReceivedSpan): number => (s.attributes['costtrace.subtree.cost_usd'] as number | undefined) ?? 0;
    const utilization = (s: ReceivedSpan): number => (s.attributes['costtrace.budget.spent_usd'] as number) / (s.attributes['costtrace.budget.limit_usd'] as number);
    const outcome = (o: string) => calls.filter((s) => s.attributes['costtrace.call.outcome'] === o);
    const warnings = budgets.flatMap((b) => b.events.filter((e) => e.name === 'costtrace.budget.warning').map((e) => ({ ...b, attributes: e.attributes })));
    const runQuantile = (q: number): Expected => ({ by: ['costtrace_run_name'], values: quantilesBy(q, runs, attr('costtrace.run.name'), runCost, RUN_COST_HISTOGRAM_BUCKETS_USD) });
    return {
      'Cost per agent over time/A': { by: ['gen_ai_agent_name'], values: sumBy(priced, attr('gen_ai.agent.name'), cost) },
      'Spend by agent (dashboard range)/A': { by: ['gen_ai_agent_name'], values: sumBy(priced, attr('gen_ai.agent.name'), cost) },
      'Spend by model (dashboard range)/A': { by: ['gen_ai_request_model'], values: sumBy(priced, attr('gen_ai.request.model'), cost) },
      'Total spend (dashboard range)/A': { by: [], values: sumBy(priced, () => '', cost) },
      'Cost per run: P50 / P95 / P99 by run name/A': runQuantile(0.5),
      'Cost per run: P50 / P95 / P99 by run name/B': runQuantile(0.95),
      'Cost per run: P50 / P95 / P99 by run name/C': runQuantile(0.99),
      'Unpriced calls (dashboard range)/A': {
        by: ['gen_ai_request_model', 'costtrace_pricing_status'],
        values: sumBy(
          calls.filter((s) => s.attributes['costtrace.pricing.status'] === 'unpriced' || s.attributes['costtrace.pricing.status'] === 'invalid'),
          (s) => `${String(s.attributes['gen_ai.request.model'])}|${String(s.attributes['costtrace.pricing.status'])}`,
          () => 1,
        ),
      },
      'Budget stops by scope (dashboard range)/A': { by: ['costtrace_budget_scope'], values: sumBy(outcome('budget_refused'), attr('costtrace.budget.scope'), () => 1) },
      'Budget stops by scope (dashboard range)/B': { by: ['costtrace_budget_scope'], values: sumBy(outcome('budget_aborted'), attr('costtrace.budget.scope'), () => 1) },
      'Budget warnings by scope (dashboard range)/A': { by: ['costtrace_budget_scope'], values: sumBy(warnings, attr('costtrace.budget.scope'), () => 1) },
      'Budget utilization P95 by scope/A': { by: ['costtrace_budget_scope'], values: quantilesBy(0.95, budgets, (s) => s.name, utilization, BUDGET_UTILIZATION_HISTOGRAM_BUCKETS) },
    };
  }

  function keyed(samples: PromSample[], by: string[]): Record<string, number> {
    return Object.fromEntries(samples.map((s) => [by.map((l) => s.metric[l] ?? '').join('|'), s.value]));
  }

  function closeTo(values: Record<string, number>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, expect.closeTo(v, 10)]));
  }

  it('the service ran both batches: a budget stop, a warning, an unpriced call, a runaway run', () => {
    expect(run.stderr).toBe('');
    expect([run.exitCode, run.signal]).toEqual([0, null]);
    expect(run.outcomes['viewing/service']!.result).toEqual({ triageA: ['ok', 'refused', 'aborted'], triageB: ['ok', 'refused', 'aborted'] });
    const e = expectations();
    expect(e['Budget stops by scope (dashboard range)/A']!.values).toEqual({ 'invoke_agent researcher': 1 });
    expect(e['Budget stops by scope (dashboard range)/B']!.values).toEqual({ 'invoke_agent writer': 1 });
    expect(e['Budget warnings by scope (dashboard range)/A']!.values).toEqual({ 'invoke_agent researcher': 1, 'invoke_agent writer': 1 });
    expect(e['Unpriced calls (dashboard range)/A']!.values).toEqual({ 'acme-selfhosted-7b|unpriced': 1 });
    const spend = e['Spend by agent (dashboard range)/A']!.values;
    expect(spend).toEqual({ planner: expect.closeTo(0.002 * 41, 10), researcher: expect.closeTo(0.006 * 40 + 0.36 + 0.005, 10), writer: expect.any(Number) });
    expect(spend.writer).toBeGreaterThan(0.008); // the aborted stream, charged up to its budget
    expect(S).toBeGreaterThan(0);
    expect(T).toBeGreaterThan(S);
  });

  it('every PromQL query of the dashboard returns what the spans say', async () => {
    const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8'));
    const expected = expectations();
    const window = `${T - S}ms`;
    const seen: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        if (target.datasource?.type !== 'prometheus') continue;
        const key = `${panel.title}/${target.refId}`;
        seen.push(key);
        const want = expected[key];
        expect(want, `no expectation for dashboard query ${key}`).toBeDefined();
        const expr = String(target.expr).replaceAll('$__range', window).replaceAll('$__rate_interval', window);
        expect(expr).not.toContain('$');
        const got = keyed(await prom.query(expr, T), want!.by);
        expect(got, `${key}: ${expr}`).toEqual(closeTo(want!.values));
      }
    }
    expect(seen.sort()).toEqual(Object.keys(expected).sort());
  });

  it('the alert rules load, and each fires for exactly what the spans say', async () => {
    const rules = await prom.api('/api/v1/rules');
    const loaded = rules.groups.flatMap((g: any) => g.rules.map((r: any) => [r.name, r.health]));
    expect(loaded).toEqual([
      ['CosttraceBudgetPastWarnRatio', 'ok'],
      ['CosttraceRunCostFarAboveP95', 'ok'],
    ]);
    const file = parseYaml(readFileSync(rulesPath, 'utf8'));
    const byName = Object.fromEntries(file.groups.flatMap((g: any) => g.rules.map((r: any) => [r.alert, String(r.expr)])));
    const e = expectations();

    const warned = await prom.query(byName.CosttraceBudgetPastWarnRatio, T);
    expect(warned.map((s) => s.metric.costtrace_budget_scope)).toEqual(Object.keys(e['Budget warnings by scope (dashboard range)/A']!.values));

    // In the test every window holds the same runs (Prometheus started with the test), so the
    // rule fires for a run name whose P99 is past 3 × its P95 over batch B's runs.
    const p95 = e['Cost per run: P50 / P95 / P99 by run name/B']!.values;
    const p99 = e['Cost per run: P50 / P95 / P99 by run name/C']!.values;
    const firing = Object.keys(p99).filter((name) => p99[name]! > 3 * p95[name]!);
    expect(firing).toEqual(['research']); // the runaway run ($0.362 among $0.008 runs)
    const fired = keyed(await prom.query(byName.CosttraceRunCostFarAboveP95, T), ['costtrace_run_name']);
    expect(Object.keys(fired)).toEqual(['research']);
    // The rule's fixed windows ([10m], [7d]) extrapolate each bucket's increase by its own factor,
    // so its P99 is exact only to the bucket: the one holding the runaway run's cost, as the spans'.
    const bucket = (v: number): number => RUN_COST_HISTOGRAM_BUCKETS_USD.findIndex((b) => v <= b);
    expect(bucket(fired.research!)).toBe(bucket(p99.research!));
    expect(bucket(fired.research!)).toBe(bucket(0.362));
  });

  it('every PromQL query of collector-config/README.md runs and finds its series', async () => {
    const queries = readmeQueries('PromQL');
    expect(queries.length).toBeGreaterThanOrEqual(3);
    for (const expr of queries) expect((await prom.query(expr, T)).length, expr).toBeGreaterThan(0);
  });
});
