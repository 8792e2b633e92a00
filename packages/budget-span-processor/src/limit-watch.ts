import { diag, type Attributes } from '@opentelemetry/api';
import { picoToUsd } from '@costtrace/pricing';
import {
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_ON_EXCEED,
  ATTR_COSTTRACE_BUDGET_SCOPE,
  ATTR_COSTTRACE_BUDGET_SPENT_USD,
  ATTR_COSTTRACE_BUDGET_WARN_RATIO,
  EVENT_COSTTRACE_BUDGET_EXCEEDED,
  EVENT_COSTTRACE_BUDGET_WARNING,
} from '@costtrace/semconv';
import type { BudgetMetrics } from './budget-metrics';
import type { LocalScope } from './internal-types';
import type { BudgetStore } from './types';

/**
 * Watches scopes' spend against their limits: a scope that passes its hard limit aborts its
 * in-flight calls at once (before any event, metric or log is written); passing the soft limit
 * or the hard one is then recorded (events on the budget span, metrics).
 */
export class LimitWatch {
  constructor(
    private readonly _store: BudgetStore,
    private readonly _metrics: BudgetMetrics,
  ) {}

  /** Spend of a scope now: settled + running cost of in-flight calls. */
  spentPico(scope: LocalScope): bigint {
    const ledger = this._store.get(scope.key);
    return ledger ? ledger.settledPico + ledger.inflightPico : 0n;
  }

  // The abort path. Checks each scope the call is under; a scope whose spend
  // passed its limit aborts its in-flight calls at once, before any event,
  // metric or log is written.
  check(scopes: readonly LocalScope[]): void {
    let crossed: LocalScope[] | undefined;
    for (let i = 0; i < scopes.length; i++) {
      const scope = scopes[i]!;
      const ledger = this._store.get(scope.key);
      if (!ledger) continue;
      const spent = ledger.settledPico + ledger.inflightPico;
      if (!scope.exceeded && spent > scope.limitPico) {
        scope.exceeded = true;
        if (scope.onExceed === 'abort' && scope.inflight.size > 0) abortAll(scope, spent);
        (crossed ??= []).push(scope);
      } else if (!scope.softReached && spent > 0n && spent >= scope.warnPico) {
        (crossed ??= []).push(scope);
      }
    }
    if (crossed) for (const scope of crossed) this._record(scope);
  }

  /**
   * A shared store says the scope's spend, counting every process's, passed its limit
   * (`spentPico`): its calls here stop as if this process had crossed it.
   */
  crossedElsewhere(scope: LocalScope, spentPico: bigint): void {
    if (scope.exceeded || spentPico <= scope.limitPico) return;
    scope.exceeded = true;
    if (scope.onExceed === 'abort' && scope.inflight.size > 0) abortAll(scope, spentPico);
    this._record(scope);
  }

  /** An operator stopped the scope (a shared store's kill switch): every call in it stops. */
  stopped(scope: LocalScope, message: string): void {
    if (scope.inflight.size > 0) abortAll(scope, this.spentPico(scope), message);
    if (scope.abortedCalls > scope.abortedCallsRecorded) {
      this._metrics.aborted(scope.ref.name, scope.abortedCalls - scope.abortedCallsRecorded);
      scope.abortedCallsRecorded = scope.abortedCalls;
    }
  }

  private _record(scope: LocalScope): void {
    const spent = this.spentPico(scope);
    const name = scope.ref.name;
    const attrs: Attributes = {
      [ATTR_COSTTRACE_BUDGET_SCOPE]: name,
      [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: scope.limitUsd,
      [ATTR_COSTTRACE_BUDGET_SPENT_USD]: picoToUsd(spent),
    };
    if (!scope.softReached) {
      scope.softReached = true;
      this._metrics.warning(name);
      safely(() => scope.span?.addEvent(EVENT_COSTTRACE_BUDGET_WARNING, { ...attrs, [ATTR_COSTTRACE_BUDGET_WARN_RATIO]: scope.warnRatio }));
    }
    if (scope.abortedCalls > scope.abortedCallsRecorded) {
      this._metrics.aborted(name, scope.abortedCalls - scope.abortedCallsRecorded);
      scope.abortedCallsRecorded = scope.abortedCalls;
    }
    if (scope.exceeded && !scope.exceededRecorded) {
      scope.exceededRecorded = true;
      safely(() => scope.span?.addEvent(EVENT_COSTTRACE_BUDGET_EXCEEDED, { ...attrs, [ATTR_COSTTRACE_BUDGET_ON_EXCEED]: scope.onExceed }));
    }
  }
}

// Errors made on this path carry no stack: it would only show the usage
// callback that crossed the limit, and capturing it for every one of N calls
// costs more than the abort itself.
export function abortAll(scope: LocalScope, spent: bigint, message?: string): void {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let aborted = 0;
  try {
    for (const call of scope.inflight) {
      if (call.aborted) continue;
      try {
        if (call.abort(scope, spent, message)) aborted++;
      } catch (err) {
        diag.error('BudgetSpanProcessor: could not abort a call', err);
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  scope.abortedCalls += aborted;
}

export function safely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    diag.error('BudgetSpanProcessor: could not record a budget event', err);
  }
}
