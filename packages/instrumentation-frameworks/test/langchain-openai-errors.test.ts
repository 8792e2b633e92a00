// @langchain/openai's real wrapOpenAIClientError, as the adapter wraps it: LangChain's AbortError for
// a call a budget stopped keeps the SDK's abort error (and so the budget error) as its cause.
import { APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError, findBudgetExceededError } from '@costtrace/pipeline';
import { keepBudgetCause, restoreBudgetCause, type LangChainOpenAIClientModule } from '../src/langchain-openai-errors';

// The module the adapter patches (`@langchain/openai/dist/utils/client`), loaded the way its
// package's own files load it; the package exports the same function from its root.
async function clientModule(): Promise<LangChainOpenAIClientModule> {
  const { wrapOpenAIClientError } = (await import('@langchain/openai')) as unknown as Required<LangChainOpenAIClientModule>;
  return { wrapOpenAIClientError };
}

const budgetError = () =>
  new BudgetExceededError({ scope: { traceId: 't', spanId: 's', name: 'invoke_workflow graph' }, limitUsd: 0.05, spentUsd: 0.06, action: 'aborted' });

describe("@langchain/openai's wrapOpenAIClientError, wrapped", () => {
  it('drops the budget error unwrapped, and keeps it as the cause chain once wrapped', async () => {
    const module = await clientModule();
    const budget = budgetError();
    const sdkAbort = new APIUserAbortError();
    Object.defineProperty(sdkAbort, 'cause', { value: budget });

    const bare = module.wrapOpenAIClientError!(sdkAbort) as Error;
    expect([bare.name, bare.message, findBudgetExceededError(bare)]).toEqual(['AbortError', 'Request was aborted.', undefined]);

    keepBudgetCause(module);
    keepBudgetCause(module); // idempotent
    const kept = module.wrapOpenAIClientError!(sdkAbort) as Error;
    expect([kept.name, kept.message, kept.cause, findBudgetExceededError(kept)]).toEqual(['AbortError', 'Request was aborted.', sdkAbort, budget]);
    expect(Object.keys(kept)).not.toContain('cause');

    // An abort that was not a budget's gets nothing new.
    const plain = module.wrapOpenAIClientError!(new APIUserAbortError()) as Error;
    expect([plain.name, plain.cause]).toEqual(['AbortError', undefined]);

    restoreBudgetCause(module);
    expect(findBudgetExceededError(module.wrapOpenAIClientError!(sdkAbort))).toBeUndefined();
  });
});
