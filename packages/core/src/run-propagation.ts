import { diag, propagation, type Context, type Span } from '@opentelemetry/api';
import { getCallGate, type BudgetScope } from '@costtrace/pipeline';
import {
  ATTR_COSTTRACE_RUN_TOTAL_COST_USD,
  BAGGAGE_COSTTRACE_RUN_ID,
  BAGGAGE_COSTTRACE_RUN_LIMIT_USD,
  BAGGAGE_COSTTRACE_RUN_NAME,
  BAGGAGE_COSTTRACE_RUN_ON_EXCEED,
  BAGGAGE_COSTTRACE_RUN_SCOPE,
  BAGGAGE_COSTTRACE_RUN_WARN_RATIO,
} from '@costtrace/semconv';

/** Longest wait for the run's total before its span ends anyway (a shared store that is slow or down). */
export const RUN_TOTAL_WAIT_MS = 2000;

/**
 * `ctx` with the run budget in W3C baggage (the `costtrace.run.*` entries), beside the entries it
 * has: a service that continues the trace charges the same budget scope. Ids and numbers only.
 */
export function withRunBaggage(ctx: Context, runId: string, runName: string, budget: BudgetScope): Context {
  let baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  baggage = baggage
    .setEntry(BAGGAGE_COSTTRACE_RUN_SCOPE, { value: `${budget.traceId}-${budget.spanId}` })
    .setEntry(BAGGAGE_COSTTRACE_RUN_ID, { value: runId })
    .setEntry(BAGGAGE_COSTTRACE_RUN_NAME, { value: runName })
    .setEntry(BAGGAGE_COSTTRACE_RUN_LIMIT_USD, { value: String(budget.limitUsd) });
  // A nested run without these must not pass on its outer run's.
  baggage = budget.warnRatio === undefined ? baggage.removeEntry(BAGGAGE_COSTTRACE_RUN_WARN_RATIO) : baggage.setEntry(BAGGAGE_COSTTRACE_RUN_WARN_RATIO, { value: String(budget.warnRatio) });
  baggage = budget.onExceed === undefined ? baggage.removeEntry(BAGGAGE_COSTTRACE_RUN_ON_EXCEED) : baggage.setEntry(BAGGAGE_COSTTRACE_RUN_ON_EXCEED, { value: budget.onExceed });
  return propagation.setBaggage(ctx, baggage);
}

/**
 * Writes `costtrace.run.total_cost_usd` on a run span with a budget: the budget scope's spend as the
 * installed gate's store holds it (every service's, for a shared store). Waits at most
 * {@link RUN_TOTAL_WAIT_MS}; never rejects.
 */
export async function writeRunTotal(span: Span): Promise<void> {
  const gate = getCallGate();
  if (typeof gate?.scopeSpend !== 'function') return;
  const { traceId, spanId } = span.spanContext();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), RUN_TOTAL_WAIT_MS);
      timer.unref?.();
    });
    const total = await Promise.race([gate.scopeSpend(traceId, spanId), timeout]);
    if (total === 'timeout') diag.warn(`costtrace: the run's total spend was not known within ${RUN_TOTAL_WAIT_MS} ms; the run span ends without costtrace.run.total_cost_usd`);
    else if (typeof total === 'number') span.setAttribute(ATTR_COSTTRACE_RUN_TOTAL_COST_USD, total);
  } catch (err) {
    diag.warn(`costtrace: could not read the run's total spend: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
