import { context, propagation, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setCallGate, type CallGate } from '@costtrace/pipeline';
import { withRun } from '../src/index';
import { RUN_TOTAL_WAIT_MS } from '../src/run-propagation';
import { tracing } from './support';

const manager = new AsyncLocalStorageContextManager();
beforeAll(() => context.setGlobalContextManager(manager.enable()));
afterAll(() => {
  manager.disable();
  context.disable();
});
let removeGate: (() => void) | undefined;
afterEach(() => {
  removeGate?.();
  removeGate = undefined;
  vi.useRealTimers();
});

const entries = (ctx: Context) => Object.fromEntries((propagation.getBaggage(ctx)?.getAllEntries() ?? []).map(([k, v]) => [k, v.value]));

function gate(scopeSpend: CallGate['scopeSpend']): void {
  removeGate = setCallGate({ begin: () => ({ end: () => {} }), scopeSpend });
}

describe('a run budget that travels', () => {
  it("carries the run's budget in baggage beside the app's own entries; an inner budgeted run replaces it", async () => {
    const t = tracing();
    const outer = propagation.setBaggage(context.active(), propagation.createBaggage({ 'tenant.id': { value: 'acme' } }));
    const seen = await context.with(outer, () =>
      withRun('outer', { tracer: t.tracer, budgetUsd: 2, warnRatio: 0.5, onExceed: 'warn' }, async (span) => {
        const first = { ...entries(context.active()), scope: `${span.spanContext().traceId}-${span.spanContext().spanId}` };
        const inner = await withRun('inner', { tracer: t.tracer, budgetUsd: 1, runId: 'r-1' }, async () => entries(context.active()));
        return { first, inner };
      }),
    );
    expect(seen.first).toEqual({
      'tenant.id': 'acme',
      'costtrace.run.scope': seen.first.scope,
      'costtrace.run.id': seen.first.scope,
      'costtrace.run.name': 'outer',
      'costtrace.run.limit_usd': '2',
      'costtrace.run.warn_ratio': '0.5',
      'costtrace.run.on_exceed': 'warn',
      scope: seen.first.scope,
    });
    expect(seen.inner).toMatchObject({ 'tenant.id': 'acme', 'costtrace.run.id': 'r-1', 'costtrace.run.name': 'inner', 'costtrace.run.limit_usd': '1' });
    expect(Object.keys(seen.inner)).not.toContain('costtrace.run.warn_ratio');
    expect(Object.keys(seen.inner)).not.toContain('costtrace.run.on_exceed');
  });

  it("writes the gate's figure for the run's scope as costtrace.run.total_cost_usd before the run span ends", async () => {
    const t = tracing();
    const asked: string[] = [];
    gate(async (traceId, spanId) => {
      asked.push(`${traceId}-${spanId}`);
      return 0.0123;
    });
    await withRun('plan', { tracer: t.tracer, budgetUsd: 1 }, async () => 'done');
    const [run] = t.exporter.getFinishedSpans();
    expect(asked).toEqual([`${run!.spanContext().traceId}-${run!.spanContext().spanId}`]);
    expect(run!.attributes['costtrace.run.total_cost_usd']).toBe(0.0123);
  });

  it('ends the run span without a total, never hanging, when the gate does not answer in time; an error still reaches the caller', async () => {
    vi.useFakeTimers();
    const t = tracing();
    gate(() => new Promise(() => {}));
    const failing = withRun('plan', { tracer: t.tracer, budgetUsd: 1 }, async () => {
      throw new Error('boom');
    });
    const settled = failing.then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    await vi.advanceTimersByTimeAsync(RUN_TOTAL_WAIT_MS);
    expect(await settled).toBe('boom');
    const [run] = t.exporter.getFinishedSpans();
    expect(run!.attributes['costtrace.run.total_cost_usd']).toBeUndefined();
    expect(run!.attributes['error.type']).toBe('Error');
  });

  it('asks nothing and sets no baggage for a run without a budget', async () => {
    const t = tracing();
    const spend = vi.fn(async () => 1);
    gate(spend);
    const bag = await withRun('free', { tracer: t.tracer }, async () => propagation.getBaggage(context.active()));
    expect(bag).toBeUndefined();
    expect(spend).not.toHaveBeenCalled();
  });
});
