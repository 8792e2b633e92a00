import { context, diag, trace, type Span } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { InferenceCall } from '@costtrace/pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import { createCostProcessors, InMemoryBudgetStore, type BudgetSpanProcessorOptions } from '../src/index';
import { MINI_IN, MINI_OUT, recordDiag } from './support';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  diag.disable();
});

const keyOf = (span: Span) => `${span.spanContext().traceId}-${span.spanContext().spanId}`;

/** Both processors as register wires them, with a budget store to read. */
function wired(budgets: BudgetSpanProcessorOptions = {}) {
  const log = recordDiag();
  const store = new InMemoryBudgetStore();
  const built = createCostProcessors({ budgets: { store, ...budgets } });
  const provider = new TracerProvider({ spanProcessors: [...built.spanProcessors] });
  const uninstall = built.install();
  cleanups.push(() => provider.shutdown(), uninstall);
  const tracer = provider.getTracer('t');
  const budget = tracer.startSpan('run', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.budget.limit_usd': 1 } });
  cleanups.unshift(() => budget.end());
  const call = (model: string) =>
    InferenceCall.start({
      tracer,
      diag,
      provider: 'openai',
      operation: 'chat',
      requestModel: model,
      streaming: false,
      estimate: { inputTokens: 1000, maxOutputTokens: 100, choices: 1 },
      parentContext: trace.setSpan(context.active(), budget),
    });
  return { store, tracer, budget, call, log };
}

describe('budgets charge the provider-reported cost, what was billed', () => {
  it('settles a gated call with the provider figure, not the local price', () => {
    const { store, budget, call } = wired();
    const c = call('gpt-4o-mini');
    c.span.setAttribute('costtrace.provider.cost_usd', 0.0009);
    c.recordUsage({ inputTokens: 1000, outputTokens: 100 }, false);
    c.end();
    // Local price would be 1000 × MINI_IN + 100 × MINI_OUT = 210_000_000 pico.
    expect(1000n * MINI_IN + 100n * MINI_OUT).toBe(210_000_000n);
    expect(store.get(keyOf(budget))).toEqual({ settledPico: 900_000_000n, reservedPico: 0n, inflightPico: 0n });
  });

  it('counts an unpriced model allowed through by policy at the provider figure', () => {
    const { store, budget, call } = wired({ unpricedPolicy: 'allow' });
    const c = call('my-router-model');
    c.span.setAttribute('costtrace.provider.cost_usd', 0.0012);
    c.recordUsage({ inputTokens: 1000, outputTokens: 100 }, false);
    c.end();
    expect(store.get(keyOf(budget))!.settledPico).toBe(1_200_000_000n);
  });

  it('charges a call that passed no gate after the fact at the provider figure', () => {
    const { store, budget, tracer } = wired();
    tracer
      .startSpan(
        'chat gpt-4o-mini',
        {
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 100,
            'costtrace.provider.cost_usd': 0.0003,
          },
        },
        trace.setSpan(context.active(), budget),
      )
      .end();
    expect(store.get(keyOf(budget))!.settledPico).toBe(300_000_000n);
  });
});
