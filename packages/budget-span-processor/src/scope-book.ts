import { getCostLedger } from '@costtrace/pipeline';
import type { BudgetMetrics } from './budget-metrics';
import { ClosedScopes } from './closed-scopes';
import type { LocalScope, ScopeSpec } from './internal-types';
import { abortAll, type LimitWatch } from './limit-watch';
import { isUsd, scalePico, usdToPico } from './money';
import type { ResolvedOptions } from './options';
import type { SpanTree } from '@costtrace/cost-span-processor';
import type { WarnOnce } from './warn-once';

/**
 * The budget scopes of this process and their life: opened when a call (or an after-the-fact
 * charge) first finds them, refreshed from their spec at each call, closed when their span ends
 * (their ledger kept, bounded, for calls that outlive it), swept when stale.
 */
export class ScopeBook {
  private readonly _scopes = new Map<string, LocalScope>();
  private readonly _closed: ClosedScopes;

  constructor(
    private readonly _options: ResolvedOptions,
    private readonly _tree: SpanTree,
    private readonly _metrics: BudgetMetrics,
    private readonly _warn: WarnOnce,
    private readonly _watch: LimitWatch,
  ) {
    this._closed = new ClosedScopes(_options.store);
  }

  // The last limit converted: runs mostly share one budget value, and the exact conversion goes through a decimal string.
  private _lastLimitUsd = Number.NaN;
  private _lastLimitPico = 0n;

  private _limitPico(usd: number): bigint {
    if (usd !== this._lastLimitUsd) {
      this._lastLimitPico = usdToPico(usd);
      this._lastLimitUsd = usd;
    }
    return this._lastLimitPico;
  }

  scope(key: string): LocalScope | undefined {
    return this._scopes.get(key);
  }

  /** Gets or opens the scope of `spec`, refreshing its limit from the spec (read at gate time). */
  openScope(spec: ScopeSpec, now: number): LocalScope | undefined {
    let scope = this._scopes.get(spec.key) ?? this._reopen(spec);
    // A standing budget's scope brings its limits in pico-USD (a rolling bucket's change over time).
    const limitPico = spec.standing?.limitPico ?? this._limitPico(spec.limitUsd);
    const warnPico = spec.standing?.warnPico ?? scalePico(limitPico, spec.warnRatio);
    if (!scope) {
      if (!this._options.store.open(spec.key)) {
        this._metrics.droppedState(1);
        this._warn.once('store-full', `the budget store is full; budget "${spec.name}" and later new scopes are not enforced`);
        return undefined;
      }
      scope = {
        key: spec.key,
        ref: { traceId: spec.traceId, spanId: spec.spanId, name: spec.name },
        limitUsd: spec.limitUsd,
        limitPico,
        warnRatio: spec.warnRatio,
        warnPico,
        onExceed: spec.onExceed,
        span: spec.span,
        fromDefault: spec.fromDefault,
        inflight: new Set(),
        exceeded: false,
        exceededRecorded: false,
        softReached: false,
        abortedCalls: 0,
        abortedCallsRecorded: 0,
        refusedCalls: 0,
        lastActiveMs: now,
        seededFromLedger: false,
        ...(spec.standing === undefined ? {} : { standingUntilMs: spec.standing.expiresAtMs, window: spec.standing.window }),
      };
      this._scopes.set(spec.key, scope);
      // A standing budget has no span: its spend is what the store holds under its key.
      if (spec.standing !== undefined) return scope;
      // The budget span's node holds its scope, so its end finds it without a lookup by key.
      const node = this._tree.node(spec.traceId, spec.spanId);
      if (node !== undefined) node.budgetScope = scope;
      scope.seededFromLedger = this._seedFromEarlierSpend(spec);
    } else {
      const limitChanged = scope.limitPico !== limitPico;
      const modeChanged = scope.onExceed !== spec.onExceed;
      if (limitChanged || scope.warnPico !== warnPico) {
        scope.limitUsd = spec.limitUsd;
        scope.limitPico = limitPico;
        scope.warnRatio = spec.warnRatio;
        scope.warnPico = warnPico;
      }
      scope.onExceed = spec.onExceed;
      if (limitChanged || modeChanged) {
        // A limit set again with setAttribute (raised, lowered) or a mode switched to abort:
        // whether the scope is over its limit is decided afresh, so the next crossing stops calls.
        const spent = this._watch.spentPico(scope);
        scope.exceeded = spent > scope.limitPico;
        if (scope.exceeded && scope.onExceed === 'abort' && scope.inflight.size > 0) abortAll(scope, spent);
      }
      if (spec.span) scope.span = spec.span;
      if (scope.ref.name !== spec.name) scope.ref = { ...scope.ref, name: spec.name };
      scope.lastActiveMs = now;
    }
    return scope;
  }

  /**
   * A limit set on a span after calls under it had already ended (setAttribute later): the
   * budget covers the span's subtree, so what the cost processor counted there so far is
   * spent already. Calls still in flight under it when the limit appeared are not in it.
   */
  private _seedFromEarlierSpend(spec: ScopeSpec): boolean {
    let costUsd: number | undefined;
    try {
      costUsd = getCostLedger()?.spendUnder(spec.traceId, spec.spanId)?.costUsd;
    } catch {
      return false;
    }
    if (costUsd === undefined || !isUsd(costUsd)) return false;
    if (costUsd > 0) this._options.store.settle([spec.key], 0n, 0n, usdToPico(costUsd));
    return true;
  }

  /** A scope whose span ended and is used again: same ledger, same spend. */
  private _reopen(spec: ScopeSpec): LocalScope | undefined {
    const closed = this._closed.take(spec.key);
    if (!closed) return undefined;
    this._scopes.set(spec.key, closed);
    this._warn.once(
      `after-end:${spec.key}`,
      `a model call started under budget "${spec.name}" after its span ended; it is counted against the same budget ` +
        '(the spend written on the ended span does not include it)',
    );
    return closed;
  }

  /** Retires a scope whose span ended, keeping its ledger (bounded) for calls that still run under it. */
  closeScope(key: string): void {
    const scope = this._scopes.get(key);
    if (!scope) return;
    scope.span = undefined;
    this._scopes.delete(key);
    this._closed.add(scope, Date.now());
  }

  /**
   * Drops idle scopes (nothing in flight for `staleAfterMs`) whose span the tree no longer holds
   * open: never seen ending, its trace dropped by the tree's TTL. Returns how many.
   */
  sweep(now: number): number {
    let dropped = 0;
    const clock = this._options.now();
    for (const scope of this._scopes.values()) {
      if (scope.standingUntilMs !== undefined) {
        // Idle or not, a standing window's spend is kept until the window is over.
        if (scope.inflight.size > 0 || clock < scope.standingUntilMs) continue;
        this._scopes.delete(scope.key);
        this._options.store.close(scope.key);
        continue;
      }
      if (scope.inflight.size > 0 || now - scope.lastActiveMs <= this._options.staleAfterMs) continue;
      if (this._tree.openNode(scope.ref.traceId, scope.ref.spanId)) continue;
      this._scopes.delete(scope.key);
      this._options.store.close(scope.key);
      dropped++;
    }
    this._closed.sweep(now, this._options.staleAfterMs);
    return dropped;
  }

  clear(): void {
    this._scopes.clear();
    this._closed.clear();
  }
}
