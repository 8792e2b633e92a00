import { getDefaultCatalog, picoToUsd, type PriceCatalog } from '@costtrace/pricing';
import type { CallRecord } from './read-calls';
import type { WhatIf, WhatIfAgent } from './types';

/** One move of a what-if: every call of `agent` repriced on `model`. */
export interface WhatIfMove {
  agent: string;
  model: string;
}

/** Parses `examples=claude-haiku-4-5[,writer=gpt-4o-mini]`. */
export function parseWhatIf(specs: readonly string[]): WhatIfMove[] {
  const moves: WhatIfMove[] = [];
  for (const spec of specs.flatMap((s) => s.split(','))) {
    const at = spec.lastIndexOf('=');
    const agent = spec.slice(0, at).trim();
    const model = spec.slice(at + 1).trim();
    if (at <= 0 || agent === '' || model === '') throw new Error(`--what-if wants AGENT=MODEL, got "${spec}"`);
    moves.push({ agent, model });
  }
  return moves;
}

/**
 * Reprices the moved agents' calls on their new model from each call's recorded usage (input,
 * output, cache reads and writes, at the call's own time), with @costtrace/pricing. A call with
 * no usage, or that the new model cannot price, keeps its recorded cost and is not counted as repriced.
 */
export function whatIf(calls: readonly CallRecord[], moves: readonly WhatIfMove[], catalog: PriceCatalog = getDefaultCatalog()): WhatIf {
  let fleetFrom = 0n;
  let fleetTo = 0n;
  const agents: WhatIfAgent[] = [];
  const moveOf = new Map(moves.map((m) => [m.agent, m.model]));
  const perAgent = new Map<string, { from: bigint; to: bigint; calls: number; repriced: number }>();
  for (const m of moves) perAgent.set(m.agent, { from: 0n, to: 0n, calls: 0, repriced: 0 });
  for (const call of calls) {
    fleetFrom += call.costPico;
    const model = moveOf.get(call.agent);
    if (model === undefined) {
      fleetTo += call.costPico;
      continue;
    }
    const acc = perAgent.get(call.agent)!;
    acc.calls += 1;
    acc.from += call.costPico;
    let to = call.costPico;
    if (call.usage !== undefined) {
      const price = catalog.price({ model, usage: call.usage, time: Number(call.startTimeUnixNano / 1_000_000n) });
      if (price.status === 'priced' && price.totalPico !== undefined) {
        to = price.totalPico;
        acc.repriced += 1;
      }
    }
    acc.to += to;
    fleetTo += to;
  }
  for (const [name, acc] of perAgent) {
    agents.push({
      name,
      toModel: moveOf.get(name)!,
      calls: acc.calls,
      repricedCalls: acc.repriced,
      fromCostUsd: picoToUsd(acc.from),
      toCostUsd: picoToUsd(acc.to),
      savedUsd: picoToUsd(acc.from - acc.to),
    });
  }
  return { agents, fleet: { fromCostUsd: picoToUsd(fleetFrom), toCostUsd: picoToUsd(fleetTo), savedUsd: picoToUsd(fleetFrom - fleetTo) } };
}
