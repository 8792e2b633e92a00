import { findBudgetExceededError } from '@costtrace/pipeline';

type ErrorWrapper = (error: unknown) => unknown;

const KEEPS_CAUSE = Symbol.for('costtrace.langchain.keepsBudgetCause');

/** `@langchain/openai`'s `dist/utils/client` module, as far as this adapter uses it. */
export interface LangChainOpenAIClientModule {
  wrapOpenAIClientError?: ErrorWrapper;
}

/**
 * `@langchain/openai` turns the openai SDK's abort error into an `AbortError`
 * of its own with only the message (`wrapOpenAIClientError`), so a call a
 * budget stopped in flight reached the app with the BudgetExceededError gone.
 * The wrapper gives LangChain's error the SDK's error as its `cause` (whose own
 * cause is the budget error), so `findBudgetExceededError` finds it.
 */
export function keepBudgetCause(moduleExports: LangChainOpenAIClientModule): void {
  const original = moduleExports?.wrapOpenAIClientError;
  if (typeof original !== 'function' || (original as unknown as Record<symbol, unknown>)[KEEPS_CAUSE] !== undefined) return;
  const wrapped: ErrorWrapper = function costtraceWrapOpenAIClientError(this: unknown, error: unknown): unknown {
    const converted = original.call(this, error);
    try {
      if (converted !== error && typeof converted === 'object' && converted !== null && (converted as { cause?: unknown }).cause === undefined) {
        if (findBudgetExceededError(error) !== undefined) {
          Object.defineProperty(converted, 'cause', { value: error, writable: true, enumerable: false, configurable: true });
        }
      }
    } catch {
      // A frozen error stays as LangChain made it.
    }
    return converted;
  };
  Object.defineProperty(wrapped, KEEPS_CAUSE, { value: original });
  moduleExports.wrapOpenAIClientError = wrapped;
}

/** Puts LangChain's own `wrapOpenAIClientError` back. */
export function restoreBudgetCause(moduleExports: LangChainOpenAIClientModule): void {
  const current = moduleExports?.wrapOpenAIClientError as unknown as Record<symbol, unknown> | undefined;
  const original = current?.[KEEPS_CAUSE];
  if (typeof original === 'function') moduleExports.wrapOpenAIClientError = original as ErrorWrapper;
}
