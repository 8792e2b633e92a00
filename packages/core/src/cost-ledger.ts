import { context as otelContext, type Context } from '@opentelemetry/api';
import { globalSlot } from './global-slot';
import { getScopes } from './scope-context';

/** Spend so far under one span (a run or an agent), as the cost processor counts it. */
export interface SpendSoFar {
  /** Priced cost of the calls that have ended under the span, USD. */
  costUsd: number;
  /** Model calls that have ended under the span. */
  llmCalls: number;
  /** Calls under the span whose model has no price. */
  unpricedCalls: number;
}

/** Implemented by the cost processor; read by {@link currentCost}. */
export interface CostLedger {
  spendUnder(traceId: string, spanId: string): SpendSoFar | undefined;
}

const ledgerSlot = globalSlot<CostLedger>('cost_ledger');

/** Installs the process's cost ledger; returns a function that removes it. */
export function setCostLedger(ledger: CostLedger): () => void {
  ledgerSlot.set(ledger);
  return () => {
    if (ledgerSlot.get() === ledger) ledgerSlot.set(undefined);
  };
}

/** The installed cost ledger, if a cost processor installed one. */
export function getCostLedger(): CostLedger | undefined {
  return ledgerSlot.get();
}

/** What {@link currentCost} returns. Absent parts: no such scope, or no cost processor. */
export interface CurrentCost {
  run: SpendSoFar | undefined;
  agent: SpendSoFar | undefined;
}

/**
 * Spend so far of the current run and agent (as opened by `withRun` /
 * `withAgent`), so agent code can degrade gracefully before a limit: switch to
 * a cheaper model, stop exploring, summarise. Reads the cost processor's live
 * totals; both parts are undefined when no cost processor is installed.
 */
export function currentCost(ctx: Context = otelContext.active()): CurrentCost {
  const scopes = getScopes(ctx);
  const ledger = ledgerSlot.get();
  const read = (s: { traceId: string; spanId: string } | undefined): SpendSoFar | undefined => {
    if (!s || !ledger) return undefined;
    try {
      return ledger.spendUnder(s.traceId, s.spanId);
    } catch {
      return undefined;
    }
  };
  return { run: read(scopes.run), agent: read(scopes.agent) };
}
