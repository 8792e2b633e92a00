import { context, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { withRun } from '@costtrace/core';
import { setCostLedger } from '@costtrace/pipeline';
import {
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_SPENT_USD,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@costtrace/semconv';
import { setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

// gpt-4o-mini: 10,000 × $0.15 + 10,000 × $0.60 per million = $0.0075.
const USAGE = { inputTokens: 10_000, outputTokens: 10_000 };

describe('a call counted once', () => {
  it('when another instrumentation’s span wraps ours (the official OpenAI instrumentation patching on top)', () => {
    env = setup();
    const budget = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const outer = env.tracer.startSpan(
      'chat gpt-4o-mini',
      { attributes: { [ATTR_GEN_AI_OPERATION_NAME]: 'chat', [ATTR_GEN_AI_PROVIDER_NAME]: 'openai', [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini' } },
      trace.setSpan(context.active(), budget),
    );
    const ours = env.call(outer, { streaming: false });
    ours.recordUsage(USAGE, false);
    ours.end();
    outer.setAttributes({ [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 10_000, [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 10_000 });
    outer.end();
    budget.end();
    expect(env.ended('agent').attributes[ATTR_COSTTRACE_BUDGET_SPENT_USD]).toBe(0.0075);
    expect(env.log.warnings).toEqual([]);
  });

  it('when the span registry is full and the call span is not tracked', () => {
    env = setup({ maxOpenSpans: 1 });
    const budget = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const c = env.call(budget, { streaming: false });
    c.recordUsage(USAGE, false);
    c.end();
    budget.end();
    expect(env.ended('agent').attributes[ATTR_COSTTRACE_BUDGET_SPENT_USD]).toBe(0.0075);
  });
});

describe('a call that outlives its budget span', () => {
  it('is counted against the same budget, and refused past it, not against a fresh $0 one', async () => {
    env = setup();
    const { tracer, call } = env;
    let later!: () => void;
    await withRun('nightly', { budgetUsd: 0.01, tracer }, () => {
      const first = call(undefined, { streaming: false, estimate: { inputTokens: 10_000, maxOutputTokens: 10_000 } });
      first.recordUsage(USAGE, false);
      first.end();
      // A branch that keeps the run's context and calls after the run's function returned.
      const ctx = context.active();
      later = () => context.with(ctx, () => call(undefined, { streaming: false, estimate: { inputTokens: 10_000, maxOutputTokens: 10_000 } }));
    });
    // $0.0075 spent; the next call's worst case, $0.0075, does not fit in $0.01.
    expect(later).toThrowError(/budget "invoke_workflow nightly" refused/);
    expect(env.log.warnings).toEqual([
      'BudgetSpanProcessor: a model call started under budget "invoke_workflow nightly" after its span ended; it is counted against the same budget (the spend written on the ended span does not include it)',
    ]);
  });
});

describe('budget values too large to be budgets', () => {
  it.each([[1e21], [1e13]])('warns once about a default run budget of %s and does not crash', (value) => {
    env = setup({ defaultRunBudgetUsd: value });
    const run = env.tracer.startSpan('run');
    env.call(run).end();
    run.end();
    expect(env.log.warnings).toHaveLength(1);
    expect(env.log.errors).toEqual([]);
  });
});

describe('a limit set again with setAttribute', () => {
  it('stops calls at the next crossing after the limit is raised', () => {
    env = setup();
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.001 } });
    const first = env.call(agent, { estimate: { inputTokens: 100, maxOutputTokens: 100 } });
    first.recordUsage({ inputTokens: 100, outputTokens: 5_000 }, true); // $0.003015 > $0.001: aborted
    expect(first.signal.aborted).toBe(true);
    first.end();
    agent.setAttribute(ATTR_COSTTRACE_BUDGET_LIMIT_USD, 0.01);
    const second = env.call(agent, { estimate: { inputTokens: 100, maxOutputTokens: 100 } });
    expect(second.signal.aborted).toBe(false);
    // $0.003015 settled + 100 × 0.15 + 20,000 × 0.60 per million = $0.015 more: past the raised $0.01 limit.
    second.recordUsage({ inputTokens: 100, outputTokens: 20_000 }, true);
    expect(second.signal.aborted).toBe(true);
    second.end();
    agent.end();
  });
});

describe('a limit set after spend', () => {
  it('starts from what the cost processor already counted under the span', () => {
    env = setup();
    const agent = env.tracer.startSpan('agent');
    const { traceId, spanId } = agent.spanContext();
    // The cost processor's ledger: $0.039 already spent under the agent when the limit appears.
    const remove = setCostLedger({
      spendUnder: (t, s) => (t === traceId && s === spanId ? { costUsd: 0.039, llmCalls: 4, unpricedCalls: 0 } : undefined),
    });
    try {
      agent.setAttribute(ATTR_COSTTRACE_BUDGET_LIMIT_USD, 0.0395);
      // Worst case 1000 × 0.15 + 1000 × 0.60 per million = $0.00075: $0.039 + $0.00075 = $0.03975 > $0.0395.
      expect(() => env!.call(agent, { estimate: { inputTokens: 1000, maxOutputTokens: 1000 } })).toThrowError(/refused/);
    } finally {
      remove();
    }
    agent.end();
  });
});
