import { context, trace, type Span } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { isBudgetExceededError, type InferenceCall } from '@costtrace/pipeline';
import { ATTR_COSTTRACE_BUDGET_LIMIT_USD, ATTR_COSTTRACE_BUDGET_ON_EXCEED } from '@costtrace/semconv';
import { InMemoryBudgetStore } from '../src/index';
import { MINI_IN, MINI_OUT, prng, setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

const keyOf = (span: Span) => `${span.spanContext().traceId}-${span.spanContext().spanId}`;
const cost = (input: number, output: number) => BigInt(input) * MINI_IN + BigInt(output) * MINI_OUT;

describe('settling and releasing reservations', () => {
  it.each([
    // [title, usage at end, outcome, settled pico]
    ['settles a completed call to its priced cost', { inputTokens: 1000, outputTokens: 40 }, undefined, cost(1000, 40)],
    ['releases a call that errored with no usage', undefined, new Error('boom'), 0n],
    ['keeps the partial cost of a call cancelled mid-stream', { inputTokens: 1000, outputTokens: 7 }, 'cancelled', cost(1000, 7)],
  ] as const)('%s', (_title, usage, how, settled) => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const c = env.call(agent);
    if (usage) c.recordUsage(usage, how === 'cancelled');
    if (how instanceof Error) c.end({ error: how });
    else if (how === 'cancelled') c.end({ consumerStopped: true });
    else c.end();
    expect(store.get(keyOf(agent))).toEqual({ settledPico: settled, reservedPico: 0n, inflightPico: 0n });
    agent.end();
  });

  it('settles a call that ends after its budget span ended into that budget, and frees the ledger after staleAfterMs', async () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store, staleAfterMs: 40 });
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } }, trace.setSpan(context.active(), run));
    const c = env.call(agent);
    agent.end();
    c.recordUsage({ inputTokens: 1000, outputTokens: 10 }, true);
    c.end();
    // The ended agent's ledger is kept: the late call settles into it, not into nothing.
    expect(store.get(keyOf(agent))).toEqual({ settledPico: cost(1000, 10), reservedPico: 0n, inflightPico: 0n });
    expect(store.get(keyOf(run))).toEqual({ settledPico: cost(1000, 10), reservedPico: 0n, inflightPico: 0n });
    run.end();
    await sweepAfterStale(env);
    expect(store.size).toBe(0);
    expect(env.log.errors).toEqual([]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'returns reserved to 0 and makes spent the exact sum of settled costs under random interleavings (seed %i)',
    async (seed) => {
      const random = prng(seed);
      const store = new InMemoryBudgetStore();
      env = setup({ store, outputAllowanceTokens: 50, staleAfterMs: 1_000 });
      const { tracer, call } = env;
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      // run ⊃ {agent A ⊃ step A1, agent B}; limits small enough that refusals and aborts happen.
      const run = tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.02 } });
      const inRun = trace.setSpan(context.active(), run);
      const a = tracer.startSpan('A', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.004 } }, inRun);
      const a1 = tracer.startSpan('A1', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.002 } }, trace.setSpan(context.active(), a));
      const b = tracer.startSpan('B', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.006, [ATTR_COSTTRACE_BUDGET_ON_EXCEED]: seed % 2 ? 'warn' : 'abort' } }, inRun);
      const parents = [run, a, a1, b];
      const under = new Map<Span, Span[]>([[run, [run]], [a, [run, a]], [a1, [run, a, a1]], [b, [run, b]]]);
      const settled = new Map<Span, bigint>(parents.map((p) => [p, 0n]));
      const live: Array<{ call: InferenceCall; parent: Span; input: number; output: number }> = [];
      let refusals = 0;
      let aborts = 0;

      for (let step = 0; step < 400; step++) {
        const r = random();
        if (r < 0.3 || live.length === 0) {
          const parent = pick(parents);
          try {
            const maxOutputTokens = random() < 0.5 ? undefined : 20 + Math.floor(random() * 200);
            const c = call(parent, { estimate: { inputTokens: 500 + Math.floor(random() * 1000), maxOutputTokens } });
            live.push({ call: c, parent, input: 0, output: 0 });
          } catch (err) {
            expect(isBudgetExceededError(err)).toBe(true);
            refusals++;
          }
        } else if (r < 0.8) {
          const l = pick(live);
          l.input = l.input || 500 + Math.floor(random() * 1000);
          l.output += Math.floor(random() * 120);
          l.call.recordUsage({ inputTokens: l.input, outputTokens: l.output }, true);
        } else {
          const i = Math.floor(random() * live.length);
          const l = live.splice(i, 1)[0]!;
          if (l.call.budgetError) aborts++;
          const final = random() < 0.15 ? undefined : l.input > 0 ? { input: l.input, output: l.output + Math.floor(random() * 30) } : undefined;
          if (final) l.call.recordUsage({ inputTokens: final.input, outputTokens: final.output }, false);
          if (random() < 0.2) l.call.end({ error: new Error('upstream') });
          else l.call.end();
          const spent = l.call.usage ? cost(l.call.usage.inputTokens!, l.call.usage.outputTokens!) : 0n;
          for (const scope of under.get(l.parent)!) settled.set(scope, settled.get(scope)! + spent);
        }
      }
      for (const l of live.splice(0)) {
        l.call.end();
        const spent = l.call.usage ? cost(l.call.usage.inputTokens!, l.call.usage.outputTokens!) : 0n;
        for (const scope of under.get(l.parent)!) settled.set(scope, settled.get(scope)! + spent);
      }
      for (const scope of parents) {
        expect(store.get(keyOf(scope))).toEqual({ settledPico: settled.get(scope), reservedPico: 0n, inflightPico: 0n });
      }
      for (const span of [a1, a, b, run]) span.end();
      for (const scope of parents) expect(store.get(keyOf(scope))!.reservedPico).toBe(0n);
      // The interleavings do reach the limits: both refusals and aborts happen.
      expect([refusals > 0, aborts > 0]).toEqual([true, true]);
    },
  );
});

/** Lets `staleAfterMs` pass, then starts a span: the processor sweeps in onStart. */
async function sweepAfterStale(e: NonNullable<typeof env>): Promise<void> {
  await new Promise((r) => setTimeout(r, 60));
  e.tracer.startSpan('tick').end();
}
