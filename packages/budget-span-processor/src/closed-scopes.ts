import type { LocalScope } from './internal-types';
import type { BudgetStore } from './types';

/** Ended scopes kept for calls that outlive them; past this, the oldest ledger goes. */
const MAX_CLOSED_SCOPES = 10_000;

/**
 * Scopes whose span has ended, kept (bounded, and for `staleAfterMs`) with their ledger: a call
 * that still runs under an ended run (a branch that outlived `withRun`'s function) is charged to
 * the same spend, never to a fresh $0 ledger that its own earlier reservations would make negative.
 */
export class ClosedScopes {
  private readonly _scopes = new Map<string, { scope: LocalScope; closedMs: number }>();

  constructor(private readonly _store: BudgetStore) {}

  add(scope: LocalScope, now: number): void {
    this._scopes.set(scope.key, { scope, closedMs: now });
    if (this._scopes.size > MAX_CLOSED_SCOPES) this._drop(this._scopes.keys().next().value as string);
  }

  /** The ended scope under `key`, taken back for a call that starts under it. */
  take(key: string): LocalScope | undefined {
    const closed = this._scopes.get(key);
    if (!closed) return undefined;
    this._scopes.delete(key);
    return closed.scope;
  }

  /** Drops ledgers of ended scopes with nothing in flight, older than `staleAfterMs`. */
  sweep(now: number, staleAfterMs: number): void {
    for (const [key, { scope, closedMs }] of this._scopes) {
      if (scope.inflight.size === 0 && now - closedMs > staleAfterMs) this._drop(key);
    }
  }

  clear(): void {
    this._scopes.clear();
  }

  private _drop(key: string): void {
    this._scopes.delete(key);
    this._store.close(key);
  }
}
