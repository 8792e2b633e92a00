import type { Report } from './types';

export const CSV_COLUMNS = [
  'section',
  'name',
  'agent',
  'provider',
  'run_name',
  'calls',
  'unpriced_calls',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost_usd',
  'share',
] as const;

const cell = (v: string | number | undefined): string => {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * One CSV table (RFC 4180) of every grouping: a row per agent, step, model and run, told apart by
 * `section`; `name` is the agent, step, model or run id. Costs are exact USD decimals.
 */
export function renderCsv(r: Report): string {
  const rows: Array<Array<string | number | undefined>> = [[...CSV_COLUMNS]];
  type Row = { calls: number; unpricedCalls: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; costUsd: number; share: number };
  const nums = (x: Row) => [x.calls, x.unpricedCalls, x.inputTokens, x.outputTokens, x.cacheReadTokens, x.cacheWriteTokens, x.costUsd, x.share];
  for (const a of r.agents) rows.push(['agent', a.name, a.name, undefined, undefined, ...nums(a)]);
  for (const s of r.steps) rows.push(['step', s.name, s.agent, undefined, undefined, ...nums(s)]);
  for (const m of r.models) rows.push(['model', m.model, undefined, m.provider, undefined, ...nums(m)]);
  for (const x of r.runs) rows.push(['run', x.id, undefined, undefined, x.name, ...nums(x)]);
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
