import { describe, expect, it } from 'vitest';
import { BudgetExceededError, findBudgetExceededError, isBudgetExceededError } from '../src/index';

const init = {
  scope: { traceId: 't'.repeat(32), spanId: 's'.repeat(16), name: 'invoke_agent researcher' },
  limitUsd: 0.05,
  spentUsd: 0.0512345,
  action: 'aborted' as const,
  call: { provider: 'openai', model: 'gpt-4o-mini' },
};

describe('BudgetExceededError', () => {
  it('carries scope, limit, spend and the stopped call, with a readable message', () => {
    const err = new BudgetExceededError(init);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('BudgetExceededError');
    expect(err.message).toBe(
      'costtrace budget "invoke_agent researcher" aborted a openai gpt-4o-mini call: limit $0.05, spent $0.051235',
    );
    expect([err.scope, err.limitUsd, err.spentUsd, err.action, err.call]).toEqual([
      init.scope,
      0.05,
      0.0512345,
      'aborted',
      init.call,
    ]);
  });

  it("carries LangChain's not-retryable mark (a Symbol.for own property, redefinable), and no new enumerable field", () => {
    const err = new BudgetExceededError(init);
    const mark = Object.getOwnPropertyDescriptor(err, Symbol.for('langchain.errors.retryable'));
    expect(mark).toEqual({ value: false, writable: false, enumerable: false, configurable: true });
    expect(Object.keys(err).sort()).toEqual(['action', 'call', 'limitUsd', 'name', 'scope', 'spentUsd']);
  });

  it('is recognised by its Symbol.for brand, not by class identity', () => {
    const foreign = Object.assign(new Error('from another copy'), {});
    Object.defineProperty(foreign, Symbol.for('costtrace.BudgetExceededError'), { value: true });
    expect(isBudgetExceededError(foreign)).toBe(true);
    expect(isBudgetExceededError(new Error('plain'))).toBe(false);
    expect(isBudgetExceededError(undefined)).toBe(false);
    expect(isBudgetExceededError('BudgetExceededError')).toBe(false);
  });

  it('is found on the cause chain of an SDK abort error', () => {
    const budget = new BudgetExceededError(init);
    const sdkAbort = new Error('Request was aborted.', { cause: budget });
    expect(findBudgetExceededError(sdkAbort)).toBe(budget);
    expect(findBudgetExceededError(budget)).toBe(budget);
    expect(findBudgetExceededError(new Error('x', { cause: new Error('y') }))).toBeUndefined();
  });
});
