import { context as otelContext, type Context } from '@opentelemetry/api';
import { getCostLedger, getScopes, type SpendSoFar } from '@costtrace/pipeline';

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
  const ledger = getCostLedger();
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
