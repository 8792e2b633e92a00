import type { BudgetScopeRef } from '@costtrace/pipeline';
import type { ProcessorSpan } from './types';

/** A budget scope found above a call: from the span's attributes, the Context, or the default run budget. */
export interface ScopeSpec {
  readonly key: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly limitUsd: number;
  readonly warnRatio: number;
  readonly onExceed: 'abort' | 'warn';
  /** The budget span, while it is open and recording. */
  readonly span: ProcessorSpan | undefined;
  readonly fromDefault: boolean;
  /**
   * A standing budget's scope (no span): the limit and soft limit in pico-USD as they apply now
   * (a rolling window's current bucket gets what the earlier buckets left), and when the scope's
   * window is over (it is kept, not swept as idle, until then).
   */
  readonly standing?: { readonly limitPico: bigint; readonly warnPico: bigint; readonly expiresAtMs: number; readonly window: string };
}

/** A budget scope's process-local state: its in-flight calls (their abort handles) and its counts. */
export interface LocalScope {
  readonly key: string;
  ref: BudgetScopeRef;
  limitUsd: number;
  limitPico: bigint;
  warnRatio: number;
  warnPico: bigint;
  onExceed: 'abort' | 'warn';
  span: ProcessorSpan | undefined;
  fromDefault: boolean;
  /** In-flight calls under the scope. */
  readonly inflight: Set<InflightCall>;
  exceeded: boolean;
  /** The `costtrace.budget.exceeded` event and metrics for the crossing were written. */
  exceededRecorded: boolean;
  softReached: boolean;
  abortedCalls: number;
  abortedCallsRecorded: number;
  refusedCalls: number;
  lastActiveMs: number;
  /** Opened with the spend the cost ledger had already counted under its span. */
  seededFromLedger: boolean;
  /** A standing budget's scope: kept until this time (its window's end, by the processor's clock). */
  standingUntilMs?: number;
  /** A standing budget's window (`1d`, `1mo`, `1h rolling`), for a shared store's listing. */
  window?: string;
}

/** What a scope needs of a running call to abort it. */
export interface InflightCall {
  /** Set once a budget has aborted the call. */
  aborted: boolean;
  /** Stops the call; false when it was not stopped (already ended, or its response fully arrived). */
  abort(scope: LocalScope, spentPico: bigint, message?: string): boolean;
}
