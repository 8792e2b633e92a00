import type { BudgetStore, ReserveScope, ScopeLedger } from './types';

const DEFAULT_MAX_SCOPES = 100_000;

/** Options of {@link InMemoryBudgetStore}. */
export interface InMemoryBudgetStoreOptions {
  /**
   * Most scopes open at once. Past it `open` returns false: the processor then
   * warns once and leaves that new scope unenforced rather than dropping the
   * spend of a scope already open.
   * @default 100000
   */
  maxScopes?: number;
}

interface MutableLedger {
  settledPico: bigint;
  reservedPico: bigint;
  inflightPico: bigint;
}

/**
 * The default {@link BudgetStore}: one process's spend, in a bounded map. A
 * scope's ledger goes when its span ends (`close`); a call that settles later
 * finds no ledger and changes nothing.
 */
export class InMemoryBudgetStore implements BudgetStore {
  private readonly _ledgers = new Map<string, MutableLedger>();
  private readonly _max: number;

  constructor(options: InMemoryBudgetStoreOptions = {}) {
    const max = options.maxScopes;
    this._max = typeof max === 'number' && Number.isSafeInteger(max) && max > 0 ? max : DEFAULT_MAX_SCOPES;
  }

  get size(): number {
    return this._ledgers.size;
  }

  open(key: string): boolean {
    if (this._ledgers.has(key)) return true;
    if (this._ledgers.size >= this._max) return false;
    this._ledgers.set(key, { settledPico: 0n, reservedPico: 0n, inflightPico: 0n });
    return true;
  }

  reserve(scopes: readonly ReserveScope[], amountPico: bigint): number {
    // Check every scope first, then reserve on all: one synchronous step, so
    // no other call can reserve in between and nothing is reserved on refusal.
    for (let i = 0; i < scopes.length; i++) {
      const scope = scopes[i]!;
      if (!scope.enforce) continue;
      const ledger = this._ledgers.get(scope.key);
      if (ledger && ledger.settledPico + ledger.reservedPico + amountPico > scope.limitPico) return i;
    }
    for (const scope of scopes) {
      const ledger = this._ledgers.get(scope.key);
      if (ledger) ledger.reservedPico += amountPico;
    }
    return -1;
  }

  charge(keys: readonly string[], heldDeltaPico: bigint, actualDeltaPico: bigint): void {
    for (let i = 0; i < keys.length; i++) {
      const ledger = this._ledgers.get(keys[i]!);
      if (!ledger) continue;
      ledger.reservedPico += heldDeltaPico;
      ledger.inflightPico += actualDeltaPico;
    }
  }

  settle(keys: readonly string[], heldPico: bigint, actualPico: bigint, costPico: bigint): void {
    for (let i = 0; i < keys.length; i++) {
      const ledger = this._ledgers.get(keys[i]!);
      if (!ledger) continue;
      ledger.reservedPico -= heldPico;
      ledger.inflightPico -= actualPico;
      ledger.settledPico += costPico;
    }
  }

  get(key: string): ScopeLedger | undefined {
    return this._ledgers.get(key);
  }

  close(key: string): void {
    this._ledgers.delete(key);
  }
}
