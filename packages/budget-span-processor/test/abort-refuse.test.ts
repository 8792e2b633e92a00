import { context, trace, type Span } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { getCallGate, InferenceCall } from '@costtrace/pipeline';
import {
  ATTR_COSTTRACE_BUDGET_ABORTED_CALLS,
  ATTR_COSTTRACE_BUDGET_EXCEEDED,
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_ON_EXCEED,
  ATTR_COSTTRACE_BUDGET_REFUSED_CALLS,
  ATTR_COSTTRACE_BUDGET_SCOPE,
  ATTR_COSTTRACE_BUDGET_SPENT_USD,
  ATTR_COSTTRACE_CALL_OUTCOME,
  ATTR_COSTTRACE_USAGE_ESTIMATED,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  EVENT_COSTTRACE_BUDGET_EXCEEDED,
  EVENT_COSTTRACE_BUDGET_WARNING,
} from '@costtrace/semconv';
import { BudgetExceededError, InMemoryBudgetStore } from '../src/index';
import { MINI_IN, MINI_OUT, setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

const budgetSpan = (tracer: ReturnType<typeof setup>['tracer'], name: string, limit: number, extra = {}): Span =>
  tracer.startSpan(name, { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: limit, ...extra } });

describe('refusing before a call is sent', () => {
  it('refuses a call the scope cannot cover: the gate throws, no ticket is issued, nothing is reserved', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const { tracer, call, ended } = env;
    // Reservation: 1000 × 150,000 + 100 × 600,000 = 210,000,000 pico. Limit: 400,000,000 pico.
    const agent = budgetSpan(tracer, 'agent', 0.0004);
    const first = call(agent);
    const key = `${agent.spanContext().traceId}-${agent.spanContext().spanId}`;
    expect(store.get(key)).toEqual({ settledPico: 0n, reservedPico: 210_000_000n, inflightPico: 0n });

    let refused: BudgetExceededError | undefined;
    try {
      call(agent);
    } catch (err) {
      refused = err as BudgetExceededError;
    }
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect({ ...refused, message: refused!.message }).toEqual({
      name: 'BudgetExceededError',
      scope: { traceId: agent.spanContext().traceId, spanId: agent.spanContext().spanId, name: 'agent' },
      limitUsd: 0.0004,
      spentUsd: 0.00021,
      action: 'refused',
      call: { provider: 'openai', model: 'gpt-4o-mini', spanId: expect.any(String) },
      message: 'costtrace budget "agent" refused a openai gpt-4o-mini call: limit $0.0004, spent $0.00021',
    });
    expect(store.get(key)).toEqual({ settledPico: 0n, reservedPico: 210_000_000n, inflightPico: 0n });

    first.end();
    agent.end();
    const refusedSpan = env.collector.spans.find((s) => s.attributes[ATTR_COSTTRACE_CALL_OUTCOME] === 'budget_refused')!;
    expect(refusedSpan.attributes).toEqual({
      [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent',
      [ATTR_COSTTRACE_CALL_OUTCOME]: 'budget_refused',
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['error'],
      [ATTR_ERROR_TYPE]: 'BudgetExceededError',
    });
    expect(refusedSpan.status).toEqual({ code: 2, message: refused!.message });
    expect(ended('agent').attributes[ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]).toBe(1);
  });

  it('admits a call that fits exactly (spent + reserved + reservation = limit)', () => {
    env = setup();
    // Two reservations of 210,000,000 pico fill a 420,000,000-pico limit exactly.
    const agent = budgetSpan(env.tracer, 'agent', 0.00042);
    const calls = [env.call(agent), env.call(agent)];
    expect(() => env!.call(agent)).toThrow(BudgetExceededError);
    for (const c of calls) c.end();
    agent.end();
  });

  it('reserves input plus the output allowance for a call with no max_tokens, and charges the rest as it streams', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store, outputAllowanceTokens: 200 });
    const agent = budgetSpan(env.tracer, 'agent', 1);
    const key = `${agent.spanContext().traceId}-${agent.spanContext().spanId}`;
    const c = env.call(agent, { estimate: { maxOutputTokens: undefined } });
    // 1000 × 150,000 + 200 × 600,000 = 270,000,000.
    const reserved = 1000n * MINI_IN + 200n * MINI_OUT;
    expect(store.get(key)).toEqual({ settledPico: 0n, reservedPico: reserved, inflightPico: 0n });
    c.recordUsage({ inputTokens: 1000, outputTokens: 150 }, true);
    const at150 = 1000n * MINI_IN + 150n * MINI_OUT;
    expect(store.get(key)).toEqual({ settledPico: 0n, reservedPico: reserved, inflightPico: at150 });
    c.recordUsage({ inputTokens: 1000, outputTokens: 500 }, true);
    const at500 = 1000n * MINI_IN + 500n * MINI_OUT;
    expect(store.get(key)).toEqual({ settledPico: 0n, reservedPico: at500, inflightPico: at500 });
    c.recordUsage({ inputTokens: 1000, outputTokens: 480 }, false);
    c.end();
    expect(store.get(key)).toEqual({ settledPico: 1000n * MINI_IN + 480n * MINI_OUT, reservedPico: 0n, inflightPico: 0n });
    agent.end();
  });

  it('reads the allowance from COSTTRACE_BUDGET_OUTPUT_ALLOWANCE_TOKENS (default 1024)', () => {
    const store = new InMemoryBudgetStore();
    process.env.COSTTRACE_BUDGET_OUTPUT_ALLOWANCE_TOKENS = '10';
    try {
      env = setup({ store });
    } finally {
      delete process.env.COSTTRACE_BUDGET_OUTPUT_ALLOWANCE_TOKENS;
    }
    const agent = budgetSpan(env.tracer, 'agent', 1);
    const c = env.call(agent, { estimate: { maxOutputTokens: undefined, choices: 2 } });
    const key = `${agent.spanContext().traceId}-${agent.spanContext().spanId}`;
    expect(store.get(key)!.reservedPico).toBe(1000n * MINI_IN + 2n * 10n * MINI_OUT);
    c.end();
    agent.end();
  });
});

describe('aborting in-flight calls', () => {
  it('aborts every in-flight call of the scope the moment its spend passes the limit', () => {
    env = setup();
    const { tracer, call, ended } = env;
    const agent = budgetSpan(tracer, 'agent', 0.01);
    const ctx = trace.setSpan(context.active(), agent);
    const calls = Array.from({ length: 6 }, () => call(ctx, { estimate: { maxOutputTokens: undefined } }));
    const fired: number[] = [];
    calls.forEach((c, i) => c.signal.addEventListener('abort', () => fired.push(i)));

    // Five calls at 2,000 output tokens: 5 × (150,000,000 + 1,200,000,000) = 6,750,000,000 pico.
    for (const c of calls.slice(0, 5)) c.recordUsage({ inputTokens: 1000, outputTokens: 2000 }, true);
    expect(fired).toEqual([]);
    // The sixth reaches 6,000 tokens: + 150,000,000 + 3,600,000,000 = 10,500,000,000 > 10,000,000,000.
    calls[5]!.recordUsage({ inputTokens: 1000, outputTokens: 6000 }, true);
    expect(fired.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const c of calls) {
      expect({ ...c.budgetError }).toEqual({
        name: 'BudgetExceededError',
        scope: { traceId: agent.spanContext().traceId, spanId: agent.spanContext().spanId, name: 'agent' },
        limitUsd: 0.01,
        spentUsd: 0.0105,
        action: 'aborted',
        call: { provider: 'openai', model: 'gpt-4o-mini', spanId: c.span.spanContext().spanId },
      });
    }
    // A chunk that was already on its way still counts: aborted calls keep their partial cost.
    calls[0]!.recordUsage({ inputTokens: 1000, outputTokens: 2010 }, true);
    for (const c of calls) c.end();
    expect(() => call(ctx)).toThrow(BudgetExceededError);
    agent.end();

    const a = ended('agent');
    expect(a.attributes).toEqual({
      [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.01,
      [ATTR_COSTTRACE_BUDGET_SPENT_USD]: 0.010506,
      [ATTR_COSTTRACE_BUDGET_EXCEEDED]: true,
      [ATTR_COSTTRACE_BUDGET_ABORTED_CALLS]: 6,
      [ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]: 1,
    });
    expect(a.events.map((e) => [e.name, e.attributes])).toEqual([
      [EVENT_COSTTRACE_BUDGET_WARNING, { [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent', [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.01, [ATTR_COSTTRACE_BUDGET_SPENT_USD]: 0.0105, 'costtrace.budget.warn_ratio': 0.8 }],
      [EVENT_COSTTRACE_BUDGET_EXCEEDED, { [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent', [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.01, [ATTR_COSTTRACE_BUDGET_SPENT_USD]: 0.0105, [ATTR_COSTTRACE_BUDGET_ON_EXCEED]: 'abort' }],
    ]);
    const aborted = env.collector.spans.find((s) => s.spanContext().spanId === calls[0]!.span.spanContext().spanId)!;
    expect(aborted.attributes).toEqual({
      [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1000,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 2010,
      [ATTR_COSTTRACE_USAGE_ESTIMATED]: true,
      [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent',
      [ATTR_COSTTRACE_CALL_OUTCOME]: 'budget_aborted',
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['error'],
      [ATTR_ERROR_TYPE]: 'BudgetExceededError',
    });
  });

  it('aborts a parallel call when a non-streaming call settles above its reservation', () => {
    env = setup({ outputAllowanceTokens: 10 });
    const agent = budgetSpan(env.tracer, 'agent', 0.001);
    const stream = env.call(agent);
    const batch = env.call(agent, { streaming: false, estimate: { maxOutputTokens: undefined } });
    // Non-streaming: no usage until the end. 1000 × 150,000 + 2000 × 600,000 = 1,350,000,000 > 1,000,000,000.
    batch.recordUsage({ inputTokens: 1000, outputTokens: 2000 }, false);
    expect(stream.signal.aborted).toBe(true);
    batch.end();
    stream.end();
    agent.end();
  });

  it('with on_exceed=warn records the crossing but never aborts or refuses', () => {
    env = setup();
    const agent = budgetSpan(env.tracer, 'agent', 0.0001, { [ATTR_COSTTRACE_BUDGET_ON_EXCEED]: 'warn' });
    const a = env.call(agent);
    const b = env.call(agent);
    a.recordUsage({ inputTokens: 1000, outputTokens: 100 }, false);
    expect(a.signal.aborted || b.signal.aborted).toBe(false);
    a.end();
    b.end();
    agent.end();
    const span = env.ended('agent');
    expect(span.attributes).toEqual({
      [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.0001,
      [ATTR_COSTTRACE_BUDGET_ON_EXCEED]: 'warn',
      [ATTR_COSTTRACE_BUDGET_SPENT_USD]: 0.00021,
      [ATTR_COSTTRACE_BUDGET_EXCEEDED]: true,
      [ATTR_COSTTRACE_BUDGET_ABORTED_CALLS]: 0,
      [ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]: 0,
    });
    expect(span.events.map((e) => e.name)).toEqual([EVENT_COSTTRACE_BUDGET_WARNING, EVENT_COSTTRACE_BUDGET_EXCEEDED]);
  });

  it('records utilization, refused and aborted metrics per scope', async () => {
    env = setup();
    const agent = budgetSpan(env.tracer, 'agent', 0.001);
    const a = env.call(agent);
    a.recordUsage({ inputTokens: 1000, outputTokens: 2000 }, true);
    a.end();
    expect(() => env!.call(agent)).toThrow(BudgetExceededError);
    agent.end();
    const m = await env.metrics();
    expect(m['costtrace.budget.aborted_calls']).toEqual([{ attributes: { [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent' }, value: 1 }]);
    expect(m['costtrace.budget.refused_calls']).toEqual([{ attributes: { [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent' }, value: 1 }]);
    expect(m['costtrace.budget.warnings']).toEqual([{ attributes: { [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent' }, value: 1 }]);
    // 1,350,000,000 / 1,000,000,000.
    expect(m['costtrace.budget.utilization']).toEqual([{ attributes: { [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent' }, value: { count: 1, sum: 1.35 } }]);
  });

  it('installs itself as the call gate and removes itself at shutdown', async () => {
    env = setup();
    await Promise.resolve(); // built alone, it installs itself in a microtask (or at its first span)
    expect(getCallGate()).toBe(env.processor);
    await env.processor.shutdown();
    expect(getCallGate()).toBeUndefined();
    expect(InferenceCall).toBeDefined();
  });
});
