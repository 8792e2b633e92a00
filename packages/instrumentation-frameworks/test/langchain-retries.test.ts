// LangChain's real AsyncCaller (@langchain/core 1.4) and costtrace's BudgetExceededError: a budget
// error is given up at once, by LangChain's own default handler (the error's not-retryable mark) and,
// through the adapter's veto, by a handler of the app's that retries anything. Each retry would wait
// LangChain's backoff (a second and more); these tests allow one retry, so a failure is quick.
import { AsyncCaller } from '@langchain/core/utils/async_caller';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '@costtrace/pipeline';
import { vetoBudgetRetries, type AsyncCallerLike } from '../src/budget-retry-veto';

const budgetError = () =>
  new BudgetExceededError({ scope: { traceId: 't', spanId: 's', name: 'invoke_workflow graph' }, limitUsd: 0.01, spentUsd: 0.02, action: 'refused' });

// `onFailedAttempt` is a protected field that LangChain reads at each call: the adapter replaces it.
const veto = (caller: AsyncCaller) => vetoBudgetRetries(caller as unknown as AsyncCallerLike);

/** Calls `fail` through the caller, counting attempts; resolves to what was thrown. */
async function attempts(caller: AsyncCaller, fail: () => unknown): Promise<{ attempts: number; error: unknown }> {
  let count = 0;
  const error = await caller
    .call(async () => {
      count++;
      throw fail();
    })
    .catch((err: unknown) => err);
  return { attempts: count, error };
}

describe('LangChain AsyncCaller and BudgetExceededError', () => {
  it("gives a budget error up at once with LangChain's default handler (no adapter)", async () => {
    const err = budgetError();
    expect(await attempts(new AsyncCaller({ maxRetries: 1 }), () => err)).toEqual({ attempts: 1, error: err });
  });

  it("gives a budget error up at once under an app's handler that retries anything, once vetoed", async () => {
    const seen: unknown[] = [];
    const caller = new AsyncCaller({ maxRetries: 1, onFailedAttempt: (e) => void seen.push(e) });
    veto(caller);
    veto(caller); // idempotent: one veto, the app's handler once under it
    const err = budgetError();
    expect(await attempts(caller, () => err)).toEqual({ attempts: 1, error: err });
    // An SDK abort error whose cause is the budget error: given up as well.
    const aborted = new Error('Request was aborted.', { cause: budgetError() });
    expect(await attempts(caller, () => aborted)).toEqual({ attempts: 1, error: aborted });
    expect(seen).toEqual([]);
  });

  it("leaves other errors to the app's handler", async () => {
    const seen: unknown[] = [];
    const caller = new AsyncCaller({ maxRetries: 1, onFailedAttempt: (e) => void seen.push(e) });
    veto(caller);
    const other = Object.assign(new Error('bad request'), { status: 400 });
    // The app's handler lets it be retried: two attempts, each reported to the handler.
    expect(await attempts(caller, () => other)).toEqual({ attempts: 2, error: other });
    expect(seen).toEqual([other, other]);
  });
});
