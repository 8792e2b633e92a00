import { context, diag, trace } from '@opentelemetry/api';
import { AlwaysOffSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { withAgent, withRun } from '@costtrace/core';
import { InferenceCall, setScopes } from '@costtrace/pipeline';
import {
  ATTR_COSTTRACE_BUDGET_ABORTED_CALLS,
  ATTR_COSTTRACE_BUDGET_EXCEEDED,
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_REFUSED_CALLS,
  ATTR_COSTTRACE_BUDGET_SPENT_USD,
  ATTR_GEN_AI_OPERATION_NAME,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
} from '@costtrace/semconv';
import { isBudgetExceededError } from '../src/index';
import { setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
  delete process.env.COSTTRACE_DEFAULT_RUN_BUDGET_USD;
});

describe('budget scopes', () => {
  it('stops only the agent whose budget is exceeded; the run and a sibling agent carry on', () => {
    env = setup();
    const { tracer, call, ended } = env;
    const run = tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 10 } });
    const runCtx = trace.setSpan(context.active(), run);
    const researcher = tracer.startSpan('invoke_agent researcher', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.01 } }, runCtx);
    const writer = tracer.startSpan('invoke_agent writer', {}, runCtx);

    const a = call(researcher);
    // 20,000 output tokens of gpt-4o-mini: 1000 × $0.15/M + 20,000 × $0.60/M = $0.01215 > $0.01.
    a.recordUsage({ inputTokens: 1000, outputTokens: 20_000 }, true);
    expect(a.signal.aborted).toBe(true);
    a.end();

    let refused: unknown;
    try {
      call(researcher);
    } catch (err) {
      refused = err;
    }
    expect(isBudgetExceededError(refused)).toBe(true);

    const b = call(writer);
    b.recordUsage({ inputTokens: 1000, outputTokens: 50 }, false);
    b.end({ finishReasons: ['stop'] });
    expect(b.signal.aborted).toBe(false);

    researcher.end();
    writer.end();
    run.end();
    expect(ended('invoke_agent researcher').attributes).toEqual({
      [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.01,
      [ATTR_COSTTRACE_BUDGET_SPENT_USD]: 0.01215,
      [ATTR_COSTTRACE_BUDGET_EXCEEDED]: true,
      [ATTR_COSTTRACE_BUDGET_ABORTED_CALLS]: 1,
      [ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]: 1,
    });
    // Run: 0.01215 + (1000 × 0.15 + 50 × 0.60) / 1e6 = 0.01215 + 0.00018.
    expect(ended('run').attributes).toEqual({
      [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 10,
      [ATTR_COSTTRACE_BUDGET_SPENT_USD]: 0.01233,
      [ATTR_COSTTRACE_BUDGET_EXCEEDED]: false,
      [ATTR_COSTTRACE_BUDGET_ABORTED_CALLS]: 0,
      [ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]: 0,
    });
    expect(ended('invoke_agent writer').attributes).toEqual({});
  });

  it('counts a limit set with setAttribute after the span started', () => {
    env = setup();
    const { tracer, call } = env;
    const agent = tracer.startSpan('agent');
    const first = call(agent);
    first.recordUsage({ inputTokens: 1000, outputTokens: 100 }, false);
    first.end();
    agent.setAttribute(ATTR_COSTTRACE_BUDGET_LIMIT_USD, 0.0001);
    // Reserving 1000 × 0.15 + 100 × 0.60 = $0.00021 would pass $0.0001.
    expect(() => call(agent)).toThrowError(/refused a openai gpt-4o-mini call: limit \$0.0001/);
    agent.end();
  });

  it('walks from the parent when the call span itself is not recording (a tracer whose sampler drops it)', () => {
    env = setup();
    const { tracer } = env;
    const agent = tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.0001 } });
    const unsampled = new TracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('off');
    const start = () =>
      InferenceCall.start({
        tracer: unsampled,
        diag,
        provider: 'openai',
        operation: 'chat',
        requestModel: 'gpt-4o-mini',
        streaming: false,
        estimate: { inputTokens: 1000, maxOutputTokens: 100, choices: 1 },
        parentContext: trace.setSpan(context.active(), agent),
      });
    // Reserving 1000 × 0.15 + 100 × 0.60 = $0.00021 would pass $0.0001.
    expect(start).toThrowError(/refused a openai gpt-4o-mini call: limit \$0.0001/);
    agent.end();
  });

  it('reads budgets carried in the Context by withRun and withAgent', async () => {
    env = setup();
    const { tracer, call } = env;
    await withRun('nightly', { budgetUsd: 5, tracer }, () =>
      withAgent('researcher', { budgetUsd: 0.0001, tracer }, () => {
        expect(() => call(undefined)).toThrowError(/budget "invoke_agent researcher" refused/);
      }),
    );
    const agent = env.ended('invoke_agent researcher');
    expect(agent.attributes[ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]).toBe(1);
    expect(env.ended('invoke_workflow nightly').attributes[ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]).toBe(0);
  });

  it('enforces a Context budget whose span the sampler did not record', async () => {
    env = setup();
    const { call } = env;
    // No span is recorded: the processor built alone installs itself in a microtask.
    await Promise.resolve();
    // A non-recording budget span, as a dropping sampler leaves it: only the Context carries the budget.
    const ghost = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 0 });
    const ctx = withScopes(trace.setSpan(context.active(), ghost), 0.0001);
    expect(() => call(ctx)).toThrowError(/budget "ghost" refused/);
  });

  it.each([
    ['the option', { defaultRunBudgetUsd: 0.0001 }, undefined],
    ['COSTTRACE_DEFAULT_RUN_BUDGET_USD', {}, '0.0001'],
  ])('applies a default run budget from %s to the nearest invoke_workflow span', (_label, options, envValue) => {
    if (envValue !== undefined) process.env.COSTTRACE_DEFAULT_RUN_BUDGET_USD = envValue;
    env = setup(options);
    const { tracer, call, ended } = env;
    const root = tracer.startSpan('request');
    const run = tracer.startSpan('invoke_workflow plan', { attributes: { [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW } }, trace.setSpan(context.active(), root));
    expect(() => call(run)).toThrowError(/budget "invoke_workflow plan" refused/);
    run.end();
    root.end();
    expect(ended('invoke_workflow plan').attributes).toEqual({
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
      [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.0001,
      [ATTR_COSTTRACE_BUDGET_SPENT_USD]: 0,
      [ATTR_COSTTRACE_BUDGET_EXCEEDED]: false,
      [ATTR_COSTTRACE_BUDGET_ABORTED_CALLS]: 0,
      [ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]: 1,
    });
    expect(ended('request').attributes).toEqual({});
  });

  it('applies the default run budget to the local root when no span is a workflow', () => {
    env = setup({ defaultRunBudgetUsd: 0.0001 });
    const { tracer, call } = env;
    const root = tracer.startSpan('request');
    const step = tracer.startSpan('step', {}, trace.setSpan(context.active(), root));
    expect(() => call(step)).toThrowError(/budget "request" refused/);
    step.end();
    root.end();
    expect(env.ended('request').attributes[ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]).toBe(1);
  });

  it.each([
    ['NaN', Number.NaN],
    ['a negative number', -1],
    ['a string', '5'],
  ])('ignores a limit that is %s with one warning', (_label, value) => {
    env = setup();
    const { tracer, call, log } = env;
    const agent = tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: value } });
    for (let i = 0; i < 3; i++) call(agent).end();
    agent.end();
    expect(log.warnings.filter((w) => w.includes('limit_usd'))).toHaveLength(1);
    expect(log.errors).toEqual([]);
  });

  it.each([
    ['defaultRunBudgetUsd', { defaultRunBudgetUsd: -3 }],
    ['outputAllowanceTokens', { outputAllowanceTokens: 1.5 }],
    ['warnRatio', { warnRatio: 2 }],
  ])('ignores a bad %s option with one warning', (name, options) => {
    env = setup(options as never);
    expect(env.log.warnings).toEqual([expect.stringContaining(name)]);
  });
});

function withScopes(ctx: ReturnType<typeof context.active>, limitUsd: number) {
  const span = trace.getSpan(ctx)!.spanContext();
  const scopes = {
    run: undefined,
    agent: undefined,
    budgets: [{ traceId: span.traceId, spanId: span.spanId, name: 'ghost', limitUsd, warnRatio: undefined, onExceed: undefined }],
  };
  return setScopes(ctx, scopes);
}
