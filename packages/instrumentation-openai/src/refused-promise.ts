/**
 * What a refused call returns: a promise rejected with the BudgetExceededError
 * (nothing is sent), carrying the APIPromise methods a caller or an SDK helper
 * may chain (`withResponse`, `asResponse`, `parse`, `_thenUnwrap`) so that they
 * reject with the same error instead of failing with a TypeError.
 */
export function refusedPromise(error: unknown): Promise<never> {
  const promise = Promise.reject(error) as Promise<never> & Record<string, unknown>;
  // A caller who only chains `.withResponse()` handles that promise, not this
  // one: mark this one handled so it is not reported as an unhandled rejection.
  const derived = (): Promise<never> => {
    promise.catch(() => undefined);
    return Promise.reject(error);
  };
  promise['withResponse'] = derived;
  promise['asResponse'] = derived;
  promise['parse'] = derived;
  promise['_thenUnwrap'] = () => promise;
  return promise;
}
