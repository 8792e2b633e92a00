import { context, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { withAgent, withRun } from '@costtrace/core';
import { findBudgetExceededError, getScopes, setScopes, type BudgetScope } from '@costtrace/pipeline';
import { ATTR_COSTTRACE_BUDGET_LIMIT_USD, ATTR_COSTTRACE_BUDGET_ON_EXCEED, ATTR_COSTTRACE_BUDGET_WARN_RATIO } from '@costtrace/semconv';
import { InMemoryBudgetStore, type BudgetStore } from '../src/index';
import { setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
  delete process.env.COSTTRACE_DEFAULT_RUN_BUDGET_USD;
});

/** Runs `fn` and returns what it threw (undefined when it did not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

const BAD_LIMITS: Array<[string, unknown, string]> = [
  ['above the supported range', 1e21, '1e+21'],
  ['just above 1e12 USD', 1.5e12, '1500000000000'],
  ['NaN', Number.NaN, 'NaN'],
  ['negative', -1, '-1'],
  ['a string', '5', '"5"'],
  ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
  ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity'],
  ['an array', [1], '[1]'],
  ['an object', { usd: 1 }, '{"usd":1}'],
];

describe('bad budget limits are ignored and never disable another scope', () => {
  it.each(BAD_LIMITS)('withAgent budgetUsd %s inside a zero-dollar run: the run still refuses the call', (_label, bad, shown) => {
    env = setup();
    const { tracer, call, log } = env;
    const err = withRun('r', { budgetUsd: 0, tracer }, () =>
      withAgent('x', { budgetUsd: bad as number, tracer }, () => thrown(() => call(undefined))),
    );
    const budgetError = findBudgetExceededError(err);
    expect(budgetError?.action).toBe('refused');
    expect(budgetError?.scope.name).toBe('invoke_workflow r');
    expect(log.warnings.filter((w) => w.includes(shown))).toHaveLength(1);
    expect(log.errors).toEqual([]);
  });

  it.each(BAD_LIMITS)('a span attribute limit %s under a zero-dollar span: the outer budget still refuses', (_label, bad, shown) => {
    env = setup();
    const { tracer, call, log } = env;
    const outer = tracer.startSpan('outer', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0 } });
    const inner = tracer.startSpan('inner', {}, trace.setSpan(context.active(), outer));
    // Attributes accept arrays of primitives only; other values are set as the SDK lets them through.
    (inner as unknown as { attributes: Record<string, unknown> }).attributes[ATTR_COSTTRACE_BUDGET_LIMIT_USD] = bad;
    const err = thrown(() => call(inner));
    expect(findBudgetExceededError(err)?.scope.name).toBe('outer');
    expect(log.warnings.filter((w) => w.includes(shown))).toHaveLength(1);
    inner.end();
    outer.end();
  });

  it.each(BAD_LIMITS)('a Context-carried limit %s (another copy of costtrace) leaves the outer zero-dollar budget on', (_label, bad, shown) => {
    env = setup();
    const { tracer, call, log } = env;
    withRun('r', { budgetUsd: 0, tracer }, () => {
      const inner = tracer.startSpan('invoke_agent x');
      const { traceId, spanId } = inner.spanContext();
      const scopes = getScopes(context.active());
      const carried: BudgetScope = { traceId, spanId, name: 'x', limitUsd: bad as number, warnRatio: undefined, onExceed: undefined };
      const ctx = setScopes(trace.setSpan(context.active(), inner), { ...scopes, budgets: [...scopes.budgets, carried] });
      const err = thrown(() => call(ctx));
      expect(findBudgetExceededError(err)?.scope.name).toBe('invoke_workflow r');
      inner.end();
    });
    expect(log.warnings.filter((w) => w.includes(shown))).toHaveLength(1);
    expect(log.errors).toEqual([]);
  });

  it.each([
    ['Infinity', 'Infinity'],
    ['1e21', '1e21'],
    ['abc', 'abc'],
    ['-1', '-1'],
  ])('env COSTTRACE_DEFAULT_RUN_BUDGET_USD=%s is ignored with one warning; explicit budgets still hold', (value, shown) => {
    process.env.COSTTRACE_DEFAULT_RUN_BUDGET_USD = value;
    env = setup();
    const { tracer, call, log } = env;
    expect(log.warnings.filter((w) => w.includes('COSTTRACE_DEFAULT_RUN_BUDGET_USD') && w.includes(shown))).toHaveLength(1);
    // No default budget: an unbudgeted call goes through.
    const free = call(undefined);
    free.end();
    const err = withAgent('a', { budgetUsd: 0, tracer }, () => thrown(() => call(undefined)));
    expect(findBudgetExceededError(err)?.scope.name).toBe('invoke_agent a');
  });

  it('a zero limit is a valid limit: it refuses every priced call', () => {
    env = setup();
    const { tracer, call, log } = env;
    const err = withAgent('zero', { budgetUsd: 0, tracer }, () => thrown(() => call(undefined)));
    expect(findBudgetExceededError(err)).toMatchObject({ action: 'refused', limitUsd: 0 });
    expect(log.warnings).toEqual([]);
  });

  it.each([
    ['warnRatio NaN', { warnRatio: Number.NaN }, 'warnRatio NaN'],
    ['warnRatio 2', { warnRatio: 2 }, 'warnRatio 2'],
    ['onExceed "stop"', { onExceed: 'stop' }, 'onExceed "stop"'],
  ])('withAgent %s is ignored with one warning; the limit itself still holds', (_label, extra, shown) => {
    env = setup();
    const { tracer, call, log } = env;
    const err = withAgent('a', { budgetUsd: 0, tracer, ...(extra as object) }, () => thrown(() => call(undefined)));
    expect(findBudgetExceededError(err)?.scope.name).toBe('invoke_agent a');
    expect(log.warnings.filter((w) => w.includes(shown))).toHaveLength(1);
  });

  it.each([
    [ATTR_COSTTRACE_BUDGET_WARN_RATIO, '0.5', '"0.5"'],
    [ATTR_COSTTRACE_BUDGET_ON_EXCEED, 'stop', '"stop"'],
  ])('a span attribute %s=%s is ignored with one warning; the limit itself still holds', (key, value, shown) => {
    env = setup();
    const { tracer, call, log } = env;
    const span = tracer.startSpan('budgeted', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0, [key]: value } });
    const err = thrown(() => call(span));
    expect(findBudgetExceededError(err)?.scope.name).toBe('budgeted');
    expect(thrown(() => call(span))).toBeDefined();
    expect(log.warnings.filter((w) => w.includes(shown))).toHaveLength(1);
    span.end();
  });
});

describe('the gate fails closed while a budget applies', () => {
  it('refuses the call with a BudgetExceededError saying the budget could not be checked and why', () => {
    const inner = new InMemoryBudgetStore();
    const broken: BudgetStore = {
      open: (key) => inner.open(key),
      reserve: () => {
        throw new Error('store unreachable');
      },
      charge: (...a) => inner.charge(...a),
      settle: (...a) => inner.settle(...a),
      get: (key) => inner.get(key),
      close: (key) => inner.close(key),
      get size() {
        return inner.size;
      },
    };
    env = setup({ store: broken });
    const { tracer, call, log, ended } = env;
    const err = withAgent('a', { budgetUsd: 5, tracer }, () => thrown(() => call(undefined)));
    const budgetError = findBudgetExceededError(err);
    expect(budgetError?.action).toBe('refused');
    expect(budgetError?.scope.name).toBe('invoke_agent a');
    expect(budgetError?.message).toContain('could not be checked (store unreachable)');
    expect(ended('chat gpt-4o-mini').attributes['costtrace.call.outcome']).toBe('budget_refused');
    expect(log.errors).toHaveLength(1);
  });
});

describe('aborted_calls counts only calls that were really stopped', () => {
  it('a call whose abort returns false (its whole response had arrived) is not counted; undefined counts as stopped', () => {
    env = setup();
    const { tracer, processor, ended } = env;
    const scope = tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.01 } });
    const parentContext = trace.setSpan(context.active(), scope);
    const gateCall = (answer: boolean | undefined) => {
      const span = tracer.startSpan('chat gpt-4o-mini', { attributes: { 'gen_ai.operation.name': 'chat' } }, parentContext);
      const reasons: Error[] = [];
      const ticket = processor.begin({
        provider: 'openai',
        operation: 'chat',
        requestModel: 'gpt-4o-mini',
        streaming: true,
        span,
        context: trace.setSpan(parentContext, span),
        parentContext,
        estimate: { inputTokens: 100, maxOutputTokens: 10, choices: 1 },
        abort: (reason: Error) => {
          reasons.push(reason);
          return answer as boolean;
        },
      });
      return { span, ticket, reasons };
    };
    const done = gateCall(false);
    const legacy = gateCall(undefined);
    const live = gateCall(true);
    // 20,000 output tokens: 100 × $0.15/M + 20,000 × $0.60/M = $0.012015 > $0.01.
    live.ticket.onUsage?.({ inputTokens: 100, outputTokens: 20_000 }, false);
    expect([done.reasons.length, legacy.reasons.length, live.reasons.length]).toEqual([1, 1, 1]);
    for (const c of [done, legacy, live]) {
      c.ticket.end({ outcome: 'completed', usage: { inputTokens: 100, outputTokens: 10 }, usageEstimated: false });
      c.span.end();
    }
    scope.end();
    expect(ended('agent').attributes['costtrace.budget.aborted_calls']).toBe(2);
  });
});
