import type { Report } from './types';

/** One table of the report, as text cells: what the terminal, markdown and HTML renderers draw. */
export interface Section {
  id: string;
  title: string;
  columns: string[];
  /** Columns drawn right-aligned (numbers). */
  numeric: boolean[];
  rows: string[][];
  /** A line under the table. */
  note?: string;
}

/** `$3.50`; amounts under a cent keep their significant digits (`$0.000315`). */
export function usd(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const sign = x < 0 ? '-' : '';
  const a = Math.abs(x);
  if (a === 0 || a >= 0.01) return `${sign}$${a.toFixed(2)}`;
  return `${sign}$${Number(a.toPrecision(3)).toString()}`;
}

export const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : String(x));
const int = (n: number): string => n.toLocaleString('en-US');

const cols = (spec: Array<[string, boolean]>) => ({ columns: spec.map((s) => s[0]), numeric: spec.map((s) => s[1]) });
const usage = ['calls', 'input tok', 'output tok', 'cost', 'share'].map((c) => [c, true] as [string, boolean]);
const usageCells = (r: { calls: number; inputTokens: number; outputTokens: number; costUsd: number; share: number }) => [
  int(r.calls),
  int(r.inputTokens),
  int(r.outputTokens),
  usd(r.costUsd),
  pct(r.share),
];

/** The report as tables, in reading order. */
export function reportSections(r: Report): Section[] {
  const out: Section[] = [];
  const t = r.totals;
  out.push({
    id: 'summary',
    title: 'Summary',
    ...cols([['measure', false], ['value', true]]),
    rows: [
      ['total cost', usd(t.costUsd)],
      ['runs', int(t.runs)],
      ['calls', int(t.calls)],
      ['input / output tokens', `${int(t.inputTokens)} / ${int(t.outputTokens)}`],
      ['cost per run P50 / P95 / P99', `${usd(r.costPerRun.p50)} / ${usd(r.costPerRun.p95)} / ${usd(r.costPerRun.p99)}`],
      ['cost per run max / mean', `${usd(r.costPerRun.max)} / ${usd(r.costPerRun.mean)}`],
      ['cost concentration (costliest agent)', r.concentration.agent === undefined ? '-' : `${r.concentration.agent} ${pct(r.concentration.share)}`],
      ['unpriced calls', int(t.unpricedCalls)],
      ['budget stops', int(t.budgetStops)],
    ],
  });
  out.push({ id: 'agents', title: 'Cost by agent', ...cols([['agent', false], ['runs', true], ...usage]), rows: r.agents.map((a) => [a.name, int(a.runs), ...usageCells(a)]) });
  out.push({ id: 'top-steps', title: `Top steps`, ...cols([['agent', false], ['step', false], ...usage]), rows: r.topSteps.map((s) => [s.agent, s.name, ...usageCells(s)]) });
  out.push({ id: 'models', title: 'Cost by model', ...cols([['model', false], ['provider', false], ...usage]), rows: r.models.map((m) => [m.model, m.provider ?? '', ...usageCells(m)]) });
  out.push({
    id: 'runs',
    title: 'Cost by run',
    ...cols([['run', false], ['name', false], ['start', false], ['costliest agent', false], ['stops', true], ...usage]),
    rows: r.runs.map((x) => [x.id, x.name ?? '', x.startTime, x.costliestAgent === undefined ? '' : `${x.costliestAgent} ${pct(x.costliestAgentShare)}`, int(x.budgetStops), ...usageCells(x)]),
  });
  if (r.budgets.length > 0) {
    out.push({
      id: 'budgets',
      title: 'Budgets',
      ...cols([['scope', false], ['run', false], ['limit', true], ['spent', true], ['utilization', true], ['exceeded', false], ['warned', false], ['aborted', true], ['refused', true]]),
      rows: r.budgets.map((b) => [b.scope, b.runId, usd(b.limitUsd), usd(b.spentUsd), pct(b.utilization), b.exceeded ? 'yes' : 'no', b.warned ? 'yes' : 'no', int(b.abortedCalls), int(b.refusedCalls)]),
    });
  }
  if (r.budgetStops.length > 0) {
    out.push({
      id: 'budget-stops',
      title: 'Budget stops',
      ...cols([['run', false], ['agent', false], ['step', false], ['model', false], ['outcome', false], ['scope', false], ['cost', true]]),
      rows: r.budgetStops.map((s) => [s.runId, s.agent, s.step, s.model, s.outcome, s.scope ?? '', usd(s.costUsd)]),
    });
  }
  if (r.unpriced.length > 0) {
    out.push({
      id: 'unpriced',
      title: 'Unpriced calls',
      ...cols([['model', false], ['provider', false], ['status', false], ['calls', true], ['reason', false]]),
      rows: r.unpriced.map((u) => [u.model, u.provider ?? '', u.status, int(u.calls), u.reason ?? '']),
    });
  }
  if (r.whatIf !== undefined) {
    const w = r.whatIf;
    out.push({
      id: 'what-if',
      title: 'What if',
      ...cols([['agent', false], ['to model', false], ['calls', true], ['repriced', true], ['now', true], ['then', true], ['saved', true]]),
      rows: [
        ...w.agents.map((a) => [a.name, a.toModel, int(a.calls), int(a.repricedCalls), usd(a.fromCostUsd), usd(a.toCostUsd), usd(a.savedUsd)]),
        ['fleet', '', '', '', usd(w.fleet.fromCostUsd), usd(w.fleet.toCostUsd), usd(w.fleet.savedUsd)],
      ],
      note: 'Repriced from each call\'s recorded usage with @costtrace/pricing; calls without usage keep their cost.',
    });
  }
  if (r.comparison !== undefined) {
    const c = r.comparison;
    const range = (s: { since: string | undefined; until: string | undefined }) => `${s.since ?? '…'} to ${s.until ?? '…'}`;
    out.push({
      id: 'comparison',
      title: 'Comparison',
      ...cols([['range', false], ['from / to', false], ['runs', true], ['calls', true], ['cost', true], ['P95 per run', true]]),
      rows: [
        ['current', range(c.current), int(c.current.runs), int(c.current.calls), usd(c.current.costUsd), usd(c.current.costPerRun.p95)],
        ['baseline', range(c.baseline), int(c.baseline.runs), int(c.baseline.calls), usd(c.baseline.costUsd), usd(c.baseline.costPerRun.p95)],
        ['change', '', '', '', usd(c.deltaUsd), ''],
      ],
    });
    out.push({
      id: 'comparison-agents',
      title: 'Comparison by agent',
      ...cols([['agent', false], ['current', true], ['baseline', true], ['change', true]]),
      rows: c.agents.map((a) => [a.name, usd(a.currentCostUsd), usd(a.baselineCostUsd), usd(a.deltaUsd)]),
    });
  }
  return out;
}
