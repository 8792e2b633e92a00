import { findBudgetExceededError } from '@costtrace/pipeline';

type FailedAttemptHandler = (error: unknown) => unknown;

const VETOED = Symbol.for('costtrace.langchain.budgetRetryVeto');

/** The parts of `@langchain/core`'s `AsyncCaller` this adapter touches. */
export interface AsyncCallerLike {
  onFailedAttempt?: FailedAttemptHandler;
}

/**
 * Puts a veto in front of an `AsyncCaller`'s failed-attempt handler: an error
 * that is (or wraps) a BudgetExceededError is thrown from the handler, which
 * is what stops p-retry, whatever the handler would have done. `@langchain/core`
 * 1.0 to 1.3 retry any error their default handler does not know (six times,
 * with backoff: about 100 s for a refused call), and an app's own handler may
 * retry everything. Idempotent; a handler set later is vetoed on the next call.
 */
export function vetoBudgetRetries(caller: AsyncCallerLike): void {
  const handler = caller.onFailedAttempt;
  if (handler !== undefined && (handler as unknown as Record<symbol, unknown>)[VETOED] === true) return;
  const vetoed: FailedAttemptHandler = function costtraceBudgetVeto(this: unknown, error: unknown): unknown {
    if (findBudgetExceededError(error) !== undefined) throw error;
    return handler?.call(this, error);
  };
  Object.defineProperty(vetoed, VETOED, { value: true });
  caller.onFailedAttempt = vetoed;
}
