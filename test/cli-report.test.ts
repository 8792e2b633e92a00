// `costtrace report` (the built bin) on spans a real app exported: SDKs against fake-llm under
// `node --import @costtrace/register`, budgets refusing and aborting calls, spans over OTLP/HTTP
// JSON written as the Collector's `file` exporter writes them (one export request per line).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { usdToPico, picoToUsd } from '@costtrace/pricing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@costtrace/cli';
import { expectCleanExit, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import { repoRoot } from './helpers/workspace';

const bin = join(repoRoot, 'packages/cli/dist/cli.cjs');

describe('costtrace report on an app\'s exported spans', () => {
  const servers = useServers();
  const run = useRun(servers, { fixture: 'mixed', mode: 'esm', scenarios: ['budget/agent-budget', 'budget/six-streams'] });
  let report: Report;
  let spans: ReceivedSpan[];
  let stderr: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'costtrace-report-e2e-'));
    const file = join(dir, 'spans.jsonl');
    writeFileSync(file, `${servers.receiver().traceLines.join('\n')}\n`);
    spans = servers.receiver().spans;
    const out = await promisify(execFile)(process.execPath, [bin, 'report', file, '--format', 'json'], { encoding: 'utf8' });
    report = JSON.parse(out.stdout) as Report;
    stderr = out.stderr;
  }, 60_000);

  const calls = () => spans.filter((s) => typeof s.attributes['costtrace.pricing.status'] === 'string' && s.attributes['costtrace.pricing.status'] !== 'duplicate');
  const sumUsd = (list: ReceivedSpan[]) => picoToUsd(list.reduce((n, s) => n + (usdToPico(Number(s.attributes['gen_ai.usage.cost.amount'] ?? 0)) ?? 0n), 0n));

  it('runs cleanly', () => expectCleanExit(run()));

  it('counts every priced call once (the Anthropic SDK\'s own duplicate spans left out), to the pico-USD', () => {
    expect(stderr).toMatch(/spans\.jsonl: \d+ spans\n$/);
    expect(report.totals.calls).toBe(calls().length);
    expect(report.totals.costUsd).toBe(sumUsd(calls()));
    expect(report.runs.map((r) => r.id).sort()).toEqual([...new Set(calls().map((s) => s.attributes['costtrace.run.id']))].sort());
    const researcher = report.agents.find((a) => a.name === 'researcher')!;
    // gpt-4.1: 500 in × $2/M + 500 out × $8/M = $0.005; its second call was refused, never sent.
    expect([researcher.calls, researcher.costUsd]).toEqual([1, 0.005]);
    // claude-haiku-4-5: 300 × $1/M + 200 × $5/M = $0.0013.
    expect(report.agents.find((a) => a.name === 'writer')).toMatchObject({ calls: 1, costUsd: 0.0013 });
  });

  it('lists the budget stops: the refused researcher call and the six aborted streams', () => {
    const stopped = spans.filter((s) => ['budget_refused', 'budget_aborted'].includes(s.attributes['costtrace.call.outcome'] as string));
    expect(stopped).toHaveLength(7);
    expect(report.totals.budgetStops).toBe(7);
    expect(report.budgetStops.map((s) => [s.outcome, s.agent, s.scope, s.spanId]).sort()).toEqual(
      stopped.map((s) => [s.attributes['costtrace.call.outcome'], s.attributes['gen_ai.agent.name'] ?? '(no agent)', s.attributes['costtrace.budget.scope'], s.spanId]).sort(),
    );
    expect(report.budgetStops.find((s) => s.outcome === 'budget_refused')).toMatchObject({ agent: 'researcher', scope: 'invoke_agent researcher', model: 'gpt-4.1', costUsd: 0 });
  });

  it('gives each budget\'s utilization from the budget spans', () => {
    const researcher = report.budgets.find((b) => b.scope === 'invoke_agent researcher')!;
    expect(researcher).toMatchObject({ limitUsd: 0.01, spentUsd: 0.005, utilization: 0.5, exceeded: false, refusedCalls: 1, abortedCalls: 0 });
    const sixStreams = report.budgets.find((b) => b.abortedCalls === 6)!;
    expect(sixStreams).toMatchObject({ limitUsd: 0.05, exceeded: true });
    expect(sixStreams.utilization).toBeGreaterThan(0.9);
  });
});
