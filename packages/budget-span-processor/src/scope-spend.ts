import { diag } from '@opentelemetry/api';
import { picoToUsd } from '@costtrace/pricing';
import type { BudgetStore } from './types';

/**
 * A store shared by processes keeps a local view of each scope; `refresh` (optional) brings the
 * view of `keys` up to date with the shared ledger before it is read.
 */
interface RefreshingStore extends BudgetStore {
  refresh?(keys: readonly string[]): Promise<unknown>;
}

/**
 * A scope's spend in USD, settled plus running, as the store holds it (every process's, for a
 * shared store, after a refresh); undefined when the store holds no such scope. Never rejects.
 */
export async function readScopeSpend(store: BudgetStore, key: string): Promise<number | undefined> {
  try {
    const refresh = (store as RefreshingStore).refresh;
    if (typeof refresh === 'function') await refresh.call(store, [key]);
    const ledger = store.get(key);
    return ledger === undefined ? undefined : picoToUsd(ledger.settledPico + ledger.inflightPico);
  } catch (err) {
    diag.warn(`BudgetSpanProcessor: could not read the spend of budget scope ${key}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
