import { context, trace, type Span } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isBudgetExceededError, type InferenceCall } from '@costtrace/pipeline';
import { ATTR_COSTTRACE_BUDGET_LIMIT_USD } from '@costtrace/semconv';
import { BudgetSpanProcessor, InMemoryBudgetStore } from '../src/index';
import { MINI_OUT, prng, setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
  vi.restoreAllMocks();
});

const keyOf = (span: Span) => `${span.spanContext().traceId}-${span.spanContext().spanId}`;
const spentOf = (store: InMemoryBudgetStore, span: Span) => {
  const l = store.get(keyOf(span))!;
  return l.settledPico + l.inflightPico;
};

describe('the overshoot bound (DESIGN.md budget semantics #5)', () => {
  it('never lets spend pass the limit when every call sets max_tokens and input is not under-estimated', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const random = prng(42);
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.005 } });
    const limit = 5_000_000_000n;
    const admitted: Array<{ call: InferenceCall; max: number; out: number }> = [];
    let refused = 0;
    // A 50-way fan-out, all reserved in the same tick before any usage arrives.
    for (let i = 0; i < 50; i++) {
      const max = 100 + Math.floor(random() * 900);
      try {
        admitted.push({ call: env.call(run, { estimate: { inputTokens: 1000, maxOutputTokens: max } }), max, out: 0 });
      } catch (err) {
        expect(isBudgetExceededError(err)).toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    while (admitted.some((a) => a.out < a.max)) {
      for (const a of admitted) {
        if (a.out >= a.max) continue;
        a.out = Math.min(a.max, a.out + 1 + Math.floor(random() * 60));
        a.call.recordUsage({ inputTokens: 1000, outputTokens: a.out }, true);
        expect(spentOf(store, run) <= limit).toBe(true);
      }
    }
    for (const a of admitted) a.call.end();
    expect(admitted.every((a) => !a.call.signal.aborted)).toBe(true);
    expect(store.get(keyOf(run))!.settledPico <= limit).toBe(true);
    run.end();
  });

  it('overshoots by at most one chunk per in-flight stream plus the crossing chunk when no call sets max_tokens', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store, outputAllowanceTokens: 10 });
    const random = prng(7);
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.005 } });
    const limit = 5_000_000_000n;
    const chunk = 50;
    const streams = Array.from({ length: 12 }, () => ({ call: env!.call(run, { estimate: { inputTokens: 1000, maxOutputTokens: undefined } }), out: 0, late: false }));
    for (let round = 0; streams.some((s) => !s.call.ended); round++) {
      for (const s of streams) {
        if (s.call.ended) continue;
        if (s.call.signal.aborted) {
          // One chunk already on the wire when the abort lands, then the stream stops.
          if (!s.late && random() < 0.7) s.call.recordUsage({ inputTokens: 1000, outputTokens: (s.out += chunk) }, true);
          s.late = true;
          s.call.end();
          continue;
        }
        s.call.recordUsage({ inputTokens: 1000, outputTokens: (s.out += chunk) }, true);
      }
    }
    const spent = store.get(keyOf(run))!.settledPico;
    const chunkCost = BigInt(chunk) * MINI_OUT;
    expect(spent > limit).toBe(true);
    expect(spent - limit <= chunkCost * BigInt(streams.length + 1)).toBe(true);
    expect(streams.every((s) => s.call.budgetError !== undefined)).toBe(true);
    run.end();
  });
});

describe('bounded state', () => {
  it('keeps an ended scope for calls that outlive it, then drops it after staleAfterMs', async () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store, staleAfterMs: 40 });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    env.call(agent).end();
    expect(store.size).toBe(1);
    agent.end();
    expect(store.size).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    env.tracer.startSpan('tick').end(); // the processor sweeps in onStart
    expect(store.size).toBe(0);
  });

  it('leaves a new scope unenforced with one warning when the store is full, keeping the open scopes', () => {
    const store = new InMemoryBudgetStore({ maxScopes: 1 });
    env = setup({ store });
    const a = env.tracer.startSpan('a', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0 } });
    const b = env.tracer.startSpan('b', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0 } });
    expect(() => env!.call(a)).toThrow();
    env.call(b).end();
    env.call(b).end();
    expect(() => env!.call(a)).toThrow();
    expect(env.log.warnings).toEqual(['BudgetSpanProcessor: the budget store is full; budget "b" and later new scopes are not enforced']);
    a.end();
    b.end();
  });

  it('drops spans and idle scopes that never end after staleAfterMs', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store, staleAfterMs: 1000 });
    let now = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    // A parent from another process: the agent span below it is a local root that never ends.
    const remote = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } }, trace.setSpan(context.active(), remote));
    env.call(agent).end();
    // The agent span is never ended.
    expect(store.size).toBe(1);
    now += 2_000;
    env.tracer.startSpan('later').end(); // a start runs the sweep
    now += 2_000;
    env.tracer.startSpan('later').end();
    expect(store.size).toBe(0);
    expect(env.log.warnings).toEqual([expect.stringMatching(/^BudgetSpanProcessor: dropped state of \d+ spans or budget scopes open longer than 1000 ms$/)]);
  });

  it('warns once and stops tracking new spans past maxOpenSpans', () => {
    env = setup({ maxOpenSpans: 2 });
    const spans = Array.from({ length: 4 }, (_, i) => env!.tracer.startSpan(`s${i}`));
    expect(env.log.warnings).toEqual([expect.stringContaining('more than 2 spans are open')]);
    for (const s of spans) s.end();
  });

  it('falls back to onEnd with one warning when the provider never calls onEnding', async () => {
    const processor = new BudgetSpanProcessor();
    const log = setup().log; // a diag logger; its provider is not used
    const ctx = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    const span = { name: 'agent', attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 }, spanContext: () => ctx, setAttribute: vi.fn(), addEvent: vi.fn() };
    processor.onStart(span, context.active());
    processor.onEnd(span);
    processor.onStart({ ...span, spanContext: () => ({ ...ctx, spanId: 'c7ad6b7169203331' }) }, context.active());
    processor.onEnd({ ...span, spanContext: () => ({ ...ctx, spanId: 'c7ad6b7169203331' }) });
    expect(log.warnings).toEqual([expect.stringContaining('does not call onEnding')]);
    expect(span.setAttribute).not.toHaveBeenCalled();
    await processor.shutdown();
  });
});
