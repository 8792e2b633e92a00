import { picoToUsd } from '@costtrace/pricing';
import { byCost, CostGroup, groupBy, share } from './cost-group';
import { costPerRun } from './percentiles';
import { isAborted, readCalls, type BudgetRecord, type CallRecord, type RunInfo } from './read-calls';
import type { SpanRecord } from './span-record';
import { costTree } from './cost-tree';
import type { AgentRow, BudgetRow, BudgetStop, Comparison, ModelRow, RangeSummary, Report, RunRow, StepRow, UnpricedRow } from './types';
import { whatIf, type WhatIfMove } from './what-if';

/** A half-open time range `[since, until)` over calls' start times; either end may be open. */
export interface TimeRange {
  since?: Date;
  until?: Date;
}

export interface ReportOptions {
  /** Where the spans came from, for the report's `sources`. */
  sources?: string[];
  /** Only calls (and budgets) that started in this range. */
  range?: TimeRange;
  /** How many steps `topSteps` lists. @default 10 */
  top?: number;
  /** Agents to reprice on another model. */
  whatIf?: WhatIfMove[];
  /** A second range to compare `range` against (the baseline: last sprint). */
  compareTo?: TimeRange;
  /** The run whose cost tree is drawn. @default the costliest run */
  run?: string;
}

const inRange = (t: bigint, r: TimeRange | undefined): boolean =>
  (r?.since === undefined || t >= BigInt(r.since.getTime()) * 1_000_000n) && (r?.until === undefined || t < BigInt(r.until.getTime()) * 1_000_000n);

const iso = (d: Date | undefined) => d?.toISOString();
const isoOfNanos = (n: bigint) => new Date(Number(n / 1_000_000n)).toISOString();

/** Every analysis of the report, from spans of any number of traces. */
export function buildReport(spans: readonly SpanRecord[], options: ReportOptions = {}): Report {
  const read = readCalls(spans);
  const calls = read.calls.filter((c) => inRange(c.startTimeUnixNano, options.range));
  const refused = read.refused.filter((c) => inRange(c.startTimeUnixNano, options.range));
  const budgetRecords = read.budgets.filter((b) => inRange(b.startTimeUnixNano, options.range));
  const total = new CostGroup();
  for (const c of calls) total.add(c);
  const totalPico = total.costPico;

  const agents = byCost(
    groupBy(calls, (c) => c.agent, (name, g, members): AgentRow => ({ name, ...g.row(totalPico), runs: new Set(members.map((m) => m.runId)).size })),
    (r) => r.name,
  );
  const steps = byCost(
    groupBy(calls, (c) => `${c.agent}\u0000${c.step}`, (_k, g, members): StepRow => ({ agent: members[0]!.agent, name: members[0]!.step, ...g.row(totalPico) })),
    (r) => `${r.agent}/${r.name}`,
  );
  const models = byCost(
    groupBy(calls, (c) => `${c.provider ?? ''}\u0000${c.model}`, (_k, g, members): ModelRow => ({ model: members[0]!.model, provider: members[0]!.provider, ...g.row(totalPico) })),
    (r) => `${r.provider ?? ''}/${r.model}`,
  );
  const stops = [...refused, ...calls.filter(isAborted)];
  const runRows = runsOf(calls, stops, read.runs, totalPico);
  const runs = byCost(runRows, (r) => r.id);
  const top = agents[0];

  return {
    version: 1,
    sources: options.sources ?? [],
    range: { since: iso(options.range?.since), until: iso(options.range?.until) },
    totals: {
      costUsd: picoToUsd(totalPico),
      calls: total.calls,
      inputTokens: total.inputTokens,
      outputTokens: total.outputTokens,
      cacheReadTokens: total.cacheReadTokens,
      cacheWriteTokens: total.cacheWriteTokens,
      runs: runs.length,
      unpricedCalls: total.unpricedCalls,
      budgetStops: stops.length,
    },
    agents,
    steps,
    topSteps: steps.slice(0, options.top ?? 10),
    models,
    runs,
    costPerRun: costPerRun(runRows.map((r) => r.__pico)),
    concentration: { agent: top?.name, costUsd: top?.costUsd ?? 0, share: top?.share ?? 0 },
    budgets: budgetsOf(budgetRecords),
    budgetStops: stops.map(stopOf).sort((a, b) => a.runId.localeCompare(b.runId) || a.agent.localeCompare(b.agent)),
    unpriced: unpricedOf(calls),
    whatIf: options.whatIf !== undefined && options.whatIf.length > 0 ? whatIf(calls, options.whatIf) : undefined,
    comparison: options.compareTo === undefined ? undefined : compare(read.calls, options.range, options.compareTo),
    costTree: costTree(calls, stops, options.run ?? runs[0]?.id, read.runs),
  };
}

function runsOf(calls: CallRecord[], stops: CallRecord[], infos: Map<string, RunInfo>, totalPico: bigint) {
  return groupBy(calls, (c) => c.runId, (id, g, members): RunRow => {
    const byAgent = new Map<string, bigint>();
    for (const m of members) byAgent.set(m.agent, (byAgent.get(m.agent) ?? 0n) + m.costPico);
    let costliest: [string, bigint] | undefined;
    for (const entry of byAgent) if (costliest === undefined || entry[1] > costliest[1]) costliest = entry;
    const start = members.reduce((min, m) => (m.startTimeUnixNano < min ? m.startTimeUnixNano : min), members[0]!.startTimeUnixNano);
    return {
      id,
      name: infos.get(id)?.name,
      traceId: infos.get(id)?.traceId ?? members[0]!.traceId,
      startTime: isoOfNanos(start),
      ...g.row(totalPico),
      costliestAgent: costliest?.[0],
      costliestAgentShare: costliest === undefined ? 0 : share(costliest[1], g.costPico),
      budgetStops: stops.filter((s) => s.runId === id).length,
    };
  });
}

function budgetsOf(records: BudgetRecord[]): BudgetRow[] {
  return records
    .map((b) => ({
      scope: b.scope,
      runId: b.runId,
      agent: b.agent,
      limitUsd: b.limitUsd,
      spentUsd: b.spentUsd,
      utilization: b.limitUsd > 0 ? b.spentUsd / b.limitUsd : b.spentUsd > 0 ? Infinity : 0,
      exceeded: b.exceeded,
      warned: b.warned,
      abortedCalls: b.abortedCalls,
      refusedCalls: b.refusedCalls,
    }))
    .sort((a, b) => b.utilization - a.utilization || a.scope.localeCompare(b.scope));
}

const stopOf = (c: CallRecord): BudgetStop => ({
  runId: c.runId,
  agent: c.agent,
  step: c.step,
  model: c.model,
  outcome: c.outcome ?? '',
  scope: c.budgetScope,
  costUsd: picoToUsd(c.costPico),
  traceId: c.traceId,
  spanId: c.spanId,
});

function unpricedOf(calls: CallRecord[]): UnpricedRow[] {
  const rows = new Map<string, UnpricedRow>();
  for (const c of calls) {
    if (c.priced) continue;
    const key = `${c.provider ?? ''}\u0000${c.model}\u0000${c.status}`;
    const row = rows.get(key);
    if (row === undefined) rows.set(key, { model: c.model, provider: c.provider, status: c.status, calls: 1, reason: c.reason });
    else row.calls += 1;
  }
  return [...rows.values()].sort((a, b) => b.calls - a.calls || a.model.localeCompare(b.model));
}

function summary(calls: CallRecord[], range: TimeRange | undefined): { summary: RangeSummary; byAgent: Map<string, bigint>; pico: bigint } {
  const inIt = calls.filter((c) => inRange(c.startTimeUnixNano, range));
  const byRun = new Map<string, bigint>();
  const byAgent = new Map<string, bigint>();
  let pico = 0n;
  for (const c of inIt) {
    pico += c.costPico;
    byRun.set(c.runId, (byRun.get(c.runId) ?? 0n) + c.costPico);
    byAgent.set(c.agent, (byAgent.get(c.agent) ?? 0n) + c.costPico);
  }
  return {
    summary: { since: iso(range?.since), until: iso(range?.until), costUsd: picoToUsd(pico), calls: inIt.length, runs: byRun.size, costPerRun: costPerRun([...byRun.values()]) },
    byAgent,
    pico,
  };
}

function compare(all: CallRecord[], current: TimeRange | undefined, baseline: TimeRange): Comparison {
  const cur = summary(all, current);
  const base = summary(all, baseline);
  const names = [...new Set([...cur.byAgent.keys(), ...base.byAgent.keys()])];
  const agents = names.map((name) => {
    const c = cur.byAgent.get(name) ?? 0n;
    const b = base.byAgent.get(name) ?? 0n;
    return { name, currentCostUsd: picoToUsd(c), baselineCostUsd: picoToUsd(b), deltaUsd: picoToUsd(c - b), __d: c - b };
  });
  agents.sort((x, y) => (x.__d === y.__d ? x.name.localeCompare(y.name) : x.__d > y.__d ? -1 : 1));
  return {
    current: cur.summary,
    baseline: base.summary,
    deltaUsd: picoToUsd(cur.pico - base.pico),
    agents: agents.map(({ __d: _, ...rest }) => rest),
  };
}
