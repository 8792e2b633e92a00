import type { BudgetExceededErrorInit, BudgetScopeRef, BudgetStopAction, StoppedCallRef } from './types';

const BRAND = Symbol.for('costtrace.BudgetExceededError');
/**
 * LangChain's mark for an error its `AsyncCaller` must not retry (`@langchain/core`
 * `stampRetryable`, read by its default failed-attempt handler; a global symbol,
 * so every copy of LangChain reads it). Without it a refused call is retried six
 * times with backoff, about 100 s, each attempt refused again.
 */
const LANGCHAIN_RETRYABLE = Symbol.for('langchain.errors.retryable');
/**
 * The Vercel AI SDK's mark of an `APICallError` (`@ai-sdk/provider`, read by `APICallError.isInstance`
 * in every copy). With `isRetryable` false it tells an AI SDK-based framework not to retry: Mastra 1.x
 * retries every model-call error but such an `APICallError` (`isRetryableModelError`), each attempt
 * refused again after its backoff. The AI SDK itself then passes it through as it is.
 */
const AI_SDK_API_CALL_ERROR = Symbol.for('vercel.ai.error.AI_APICallError');

/**
 * Thrown (or set as the `cause` of the SDK's own abort error) when a budget
 * scope refuses a model call before it is sent or stops one in flight.
 *
 * Identify it with {@link isBudgetExceededError} or {@link findBudgetExceededError}
 * rather than `instanceof`: an app may load an ESM and a CommonJS copy of this
 * package, each with its own class.
 *
 * It carries LangChain's not-retryable mark, so LangChain's retry loop gives it
 * up at once (the SDKs' own retry loops never see it: it is thrown before the
 * request, or after their abort).
 */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  /** The budget span whose limit was reached. */
  readonly scope: BudgetScopeRef;
  /** The scope's hard limit, USD. */
  readonly limitUsd: number;
  /** Spend counted against the scope when the call was stopped (reservations included), USD. */
  readonly spentUsd: number;
  /** `refused`: the call was never sent. `aborted`: it was stopped in flight. */
  readonly action: BudgetStopAction;
  /** The call that was refused or aborted, when known. */
  readonly call: StoppedCallRef | undefined;

  constructor(init: BudgetExceededErrorInit) {
    super(init.message ?? defaultMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.scope = init.scope;
    this.limitUsd = init.limitUsd;
    this.spentUsd = init.spentUsd;
    this.action = init.action;
    this.call = init.call;
    Object.defineProperty(this, BRAND, { value: true });
    Object.defineProperty(this, LANGCHAIN_RETRYABLE, { value: false, configurable: true });
    Object.defineProperty(this, AI_SDK_API_CALL_ERROR, { value: true, configurable: true });
    Object.defineProperty(this, 'isRetryable', { value: false, configurable: true });
  }
}

function defaultMessage(init: BudgetExceededErrorInit): string {
  const verb = init.action === 'refused' ? 'refused' : 'aborted';
  const what = init.call ? `${init.call.provider} ${init.call.model} call` : 'model call';
  return `costtrace budget "${init.scope.name}" ${verb} a ${what}: limit $${init.limitUsd}, spent $${round(init.spentUsd)}`;
}

function round(usd: number): string {
  return usd.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** True when `err` is a BudgetExceededError from any copy of costtrace. */
export function isBudgetExceededError(err: unknown): err is BudgetExceededError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * The BudgetExceededError behind `err`: `err` itself, or one found on its
 * `cause` chain. A non-streaming call stopped in flight rejects with the SDK's
 * own abort error (the SDK's promise object is returned intact), whose `cause`
 * is the BudgetExceededError.
 */
export function findBudgetExceededError(err: unknown): BudgetExceededError | undefined {
  let current = err;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (isBudgetExceededError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
