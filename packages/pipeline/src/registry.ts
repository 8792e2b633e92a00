import type { CallGate, UnpatchedModule } from './types';

/** Spend so far under one span (a run or an agent), as the cost processor counts it. */
export interface SpendSoFar {
  /** Priced cost of the calls that have ended under the span, USD. */
  costUsd: number;
  /** Model calls that have ended under the span. */
  llmCalls: number;
  /** Calls under the span whose model has no price. */
  unpricedCalls: number;
}

/** Implemented by the cost processor; read by `currentCost()` and by budgets set after calls ended. */
export interface CostLedger {
  spendUnder(traceId: string, spanId: string): SpendSoFar | undefined;
}

/** A call whose span is still open, which shutdown can end. */
export interface OpenCall {
  /** Ends the call's span as `cancelled` (process shutting down). */
  endForShutdown(): void;
}

/**
 * The one place where copies of costtrace loaded into one process meet: an ESM
 * and a CommonJS copy of a package (a `--require` preload and an `import`ed
 * app), or two versions. Everything else is handed from part to part
 * explicitly. Kept on `globalThis` under one `Symbol.for` key, the way
 * `@opentelemetry/api` keeps its own globals, and read only through this
 * module.
 *
 * - `gate`: the budget enforcer that instrumentations ask before each call.
 *   Installed by whoever wires the pipeline (`register`, or the user's own
 *   setup), never by a constructor.
 * - `ledger`: the cost processor's running totals, read by `currentCost()`.
 * - `unpatched`: SDK modules an instrumentation left unpatched, so a budget
 *   can warn that their calls are not counted.
 * - `openCalls`: model calls whose spans are open, ended at shutdown.
 * - `registration`: the pipeline `@costtrace/register` set up, so the second
 *   copy to register returns the first one's.
 * - `syncOwner`: the SDK-level call whose original method is running right
 *   now (see the instrumentations' call ownership).
 * - `agentNames`: framework adapters that can tell which agent is running
 *   (see `framework-agent.ts`), by adapter id.
 */
export interface CostTraceRegistry {
  gate: CallGate | undefined;
  ledger: CostLedger | undefined;
  readonly unpatched: UnpatchedModule[];
  readonly openCalls: Set<OpenCall>;
  registration: unknown;
  syncOwner: unknown;
  readonly agentNames: Map<string, () => string | undefined>;
}

const KEY = Symbol.for('costtrace.registry');

/** The process's registry, created on first use. */
export function registry(): CostTraceRegistry {
  const store = globalThis as unknown as Record<symbol, CostTraceRegistry | undefined>;
  let found = store[KEY];
  if (found === undefined) {
    found = {
      gate: undefined,
      ledger: undefined,
      unpatched: [],
      openCalls: new Set(),
      registration: undefined,
      syncOwner: undefined,
      agentNames: new Map(),
    };
    store[KEY] = found;
  } else if (found.agentNames === undefined) {
    // Created by an older copy of costtrace, before adapters could name agents.
    (found as { agentNames: CostTraceRegistry['agentNames'] }).agentNames = new Map();
  }
  return found;
}
