/** The mark a shared budget store puts on "could not answer" errors (`Symbol.for`, so any copy of the store is recognised). */
const STORE_UNAVAILABLE = Symbol.for('costtrace.budgetStoreUnavailable');

/** True for a shared store's "could not answer in time" error: the store warns once per outage, so the gate does not log each call. */
export function isStoreUnavailable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[STORE_UNAVAILABLE] === true;
}
