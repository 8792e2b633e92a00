import { picoToUsd } from '@costtrace/pricing';
import type { CallRecord } from './read-calls';
import type { CostRow } from './types';

/** Sums calls exactly (pico-USD as bigint) and turns into a {@link CostRow} at the end. */
export class CostGroup {
  costPico = 0n;
  calls = 0;
  unpricedCalls = 0;
  inputTokens = 0;
  outputTokens = 0;
  cacheReadTokens = 0;
  cacheWriteTokens = 0;

  add(call: CallRecord): void {
    this.costPico += call.costPico;
    this.calls += 1;
    if (!call.priced) this.unpricedCalls += 1;
    const u = call.usage;
    this.inputTokens += finite(u?.inputTokens);
    this.outputTokens += finite(u?.outputTokens);
    this.cacheReadTokens += finite(u?.cacheReadTokens);
    this.cacheWriteTokens += finite(u?.cacheWriteTokens);
  }

  row(totalPico: bigint): CostRow {
    return {
      costUsd: picoToUsd(this.costPico),
      share: share(this.costPico, totalPico),
      calls: this.calls,
      unpricedCalls: this.unpricedCalls,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cacheReadTokens: this.cacheReadTokens,
      cacheWriteTokens: this.cacheWriteTokens,
    };
  }
}

const finite = (n: number | undefined): number => (n !== undefined && Number.isFinite(n) && n > 0 ? n : 0);

/** `part / total` as a double, 0 when the total is 0. */
export function share(part: bigint, total: bigint): number {
  if (total === 0n) return 0;
  // Scale before dividing so the ratio keeps its digits past 2^53 pico-USD.
  return Number((part * 1_000_000_000_000n) / total) / 1e12;
}

/** Groups calls by a key; `make` adds the row's own fields. */
export function groupBy<K extends string, R extends object>(
  calls: readonly CallRecord[],
  key: (c: CallRecord) => K,
  make: (key: K, group: CostGroup, members: CallRecord[]) => R,
): Array<R & { __pico: bigint }> {
  const groups = new Map<K, { group: CostGroup; members: CallRecord[] }>();
  for (const call of calls) {
    const k = key(call);
    let g = groups.get(k);
    if (g === undefined) groups.set(k, (g = { group: new CostGroup(), members: [] }));
    g.group.add(call);
    g.members.push(call);
  }
  return [...groups].map(([k, g]) => Object.assign(make(k, g.group, g.members), { __pico: g.group.costPico }));
}

/** Sorts rows by cost, costliest first, then by `tie`, and drops the sort key. */
export function byCost<R extends object>(rows: Array<R & { __pico: bigint }>, tie: (r: R) => string): R[] {
  rows.sort((a, b) => (a.__pico === b.__pico ? tie(a).localeCompare(tie(b)) : a.__pico > b.__pico ? -1 : 1));
  return rows.map(({ __pico: _, ...rest }) => rest as unknown as R);
}
