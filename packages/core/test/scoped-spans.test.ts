import { context, diag, DiagLogLevel, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getScopes, setCostLedger } from '@costtrace/pipeline';
import { currentCost, withAgent, withRun, withStep } from '../src/index';
import { tracing } from './support';

const manager = new AsyncLocalStorageContextManager();
beforeAll(() => context.setGlobalContextManager(manager.enable()));
afterAll(() => {
  manager.disable();
  context.disable();
});

describe('withRun / withAgent / withStep', () => {
  it('opens run, agent and step spans with their attributes and scopes, across awaits', async () => {
    const t = tracing();
    const seen = await withRun('nightly', { tracer: t.tracer, budgetUsd: 5, runId: 'run-42' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return withAgent('researcher', { tracer: t.tracer, budgetUsd: 0.5, warnRatio: 0.5, onExceed: 'warn', agentId: 'r1' }, async () => {
        await Promise.resolve();
        return withStep('search', { tracer: t.tracer }, () => getScopes(context.active()));
      });
    });
    const [step, agent, run] = t.exporter.getFinishedSpans();
    expect([step!.name, agent!.name, run!.name]).toEqual(['search', 'invoke_agent researcher', 'invoke_workflow nightly']);
    expect(run!.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_workflow',
      'costtrace.run.name': 'nightly',
      'costtrace.run.id': 'run-42',
      'costtrace.budget.limit_usd': 5,
    });
    expect(agent!.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'researcher',
      'gen_ai.agent.id': 'r1',
      'costtrace.budget.limit_usd': 0.5,
      'costtrace.budget.warn_ratio': 0.5,
      'costtrace.budget.on_exceed': 'warn',
    });
    expect(step!.attributes).toEqual({ 'costtrace.step.name': 'search' });
    expect(step!.parentSpanContext?.spanId).toBe(agent!.spanContext().spanId);
    expect(agent!.parentSpanContext?.spanId).toBe(run!.spanContext().spanId);
    expect(seen.run).toEqual({ runId: 'run-42', name: 'nightly', traceId: run!.spanContext().traceId, spanId: run!.spanContext().spanId });
    expect(seen.agent).toEqual({ name: 'researcher', id: 'r1', traceId: agent!.spanContext().traceId, spanId: agent!.spanContext().spanId });
    expect(seen.budgets.map((b) => [b.name, b.limitUsd, b.warnRatio, b.onExceed])).toEqual([
      ['invoke_workflow nightly', 5, undefined, undefined],
      ['invoke_agent researcher', 0.5, 0.5, 'warn'],
    ]);
  });

  it('defaults the run id to the run span trace and span id', () => {
    const t = tracing();
    const id = withRun('r', { tracer: t.tracer }, () => getScopes(context.active()).run!.runId);
    const run = t.exporter.getFinishedSpans()[0]!;
    expect(id).toBe(`${run.spanContext().traceId}-${run.spanContext().spanId}`);
  });

  it('records an error, ends the span and rethrows', async () => {
    const t = tracing();
    class ToolError extends Error {}
    await expect(withStep('tool', { tracer: t.tracer }, async () => Promise.reject(new ToolError('boom')))).rejects.toThrow('boom');
    expect(() => withStep('sync', { tracer: t.tracer }, () => { throw new TypeError('bad'); })).toThrow('bad');
    const [asyncSpan, syncSpan] = t.exporter.getFinishedSpans();
    expect(asyncSpan!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(asyncSpan!.attributes['error.type']).toBe('ToolError');
    expect(syncSpan!.attributes['error.type']).toBe('TypeError');
  });

  it.each([[Number.NaN], [-1], ['5' as unknown as number], [Number.POSITIVE_INFINITY]])(
    'ignores a budget of %s with one warning, never a crash',
    (bad) => {
      const warnings: string[] = [];
      diag.setLogger({ warn: (m: string) => warnings.push(m), error() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
      const t = tracing();
      const budgets = withAgent('a', { tracer: t.tracer, budgetUsd: bad }, () => getScopes(context.active()).budgets);
      diag.disable();
      expect(budgets).toEqual([]);
      expect(t.exporter.getFinishedSpans()[0]!.attributes['costtrace.budget.limit_usd']).toBeUndefined();
      expect(warnings).toHaveLength(1);
    },
  );

  it('keeps scopes in the context when the span is not recording', () => {
    const scopes = withRun('unsampled', { tracer: trace.getTracer('noop-provider'), budgetUsd: 1 }, () => getScopes(context.active()));
    expect(scopes.run?.name).toBe('unsampled');
    expect(scopes.budgets.map((b) => b.limitUsd)).toEqual([1]);
  });
});

describe('currentCost', () => {
  it('reads the installed ledger for the current run and agent', () => {
    const t = tracing();
    const remove = setCostLedger({
      spendUnder: (_traceId, spanId) => ({ costUsd: spanId.length, llmCalls: 1, unpricedCalls: 0 }),
    });
    const cost = withRun('r', { tracer: t.tracer }, () => withAgent('a', { tracer: t.tracer }, () => currentCost()));
    remove();
    expect(cost.run).toEqual({ costUsd: 16, llmCalls: 1, unpricedCalls: 0 });
    expect(cost.agent).toEqual({ costUsd: 16, llmCalls: 1, unpricedCalls: 0 });
    expect(currentCost()).toEqual({ run: undefined, agent: undefined });
  });
});
