// A run budget carried in baggage to "another service". The real test runs two processes over
// HTTP (test/two-services.test.ts); here both sides share one process and one in-memory store,
// and the second side starts a trace of its own, so only the baggage links it to the run.
import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { withRun } from '@costtrace/core';
import {
  ATTR_COSTTRACE_RUN_TOTAL_COST_USD,
  BAGGAGE_COSTTRACE_RUN_ID,
  BAGGAGE_COSTTRACE_RUN_LIMIT_USD,
  BAGGAGE_COSTTRACE_RUN_NAME,
  BAGGAGE_COSTTRACE_RUN_SCOPE,
} from '@costtrace/semconv';
import { isBudgetExceededError } from '../src/index';
import { setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

/** What crosses the wire: the baggage entries only, into a fresh Context (a new trace). */
function overTheWire(from: Context): Context {
  const entries = propagation.getBaggage(from)?.getAllEntries() ?? [];
  return propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(Object.fromEntries(entries)));
}

describe('a run budget carried in baggage', () => {
  it('puts the run scope, id, name and limit in baggage; nothing else', async () => {
    env = setup();
    const e = env;
    await withRun('plan', { tracer: e.tracer, budgetUsd: 0.5, runId: 'run-7' }, async (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(Object.fromEntries((propagation.getBaggage(context.active())?.getAllEntries() ?? []).map(([k, v]) => [k, v.value]))).toEqual({
        [BAGGAGE_COSTTRACE_RUN_SCOPE]: `${traceId}-${spanId}`,
        [BAGGAGE_COSTTRACE_RUN_ID]: 'run-7',
        [BAGGAGE_COSTTRACE_RUN_NAME]: 'plan',
        [BAGGAGE_COSTTRACE_RUN_LIMIT_USD]: '0.5',
      });
    });
    await withRun('free', { tracer: e.tracer }, async () => {
      expect(propagation.getBaggage(context.active())).toBeUndefined();
    });
  });

  it("charges the other side's calls to the run, stops both sides with it, and writes the run's total on its span", async () => {
    env = setup();
    const e = env;
    const result = await withRun('plan', { tracer: e.tracer, budgetUsd: 0.0005 }, async () => {
      const worker = overTheWire(context.active());
      // Reserved $0.00021 each (1000 × $0.15/M + 100 × $0.60/M).
      const a = e.call(undefined);
      const b = e.call(worker);
      // The worker's stream runs on: 1000 × $0.15/M + 1000 × $0.60/M = $0.00075 > $0.0005.
      b.recordUsage({ inputTokens: 1000, outputTokens: 1000 }, true);
      const stopped = [a.signal.aborted, b.signal.aborted];
      a.end();
      b.end();
      let refused = '';
      try {
        e.call(worker);
      } catch (err) {
        if (isBudgetExceededError(err)) refused = `${err.scope.name}: limit ${err.limitUsd}`;
      }
      return { stopped, refused };
    });
    expect(result).toEqual({ stopped: [true, true], refused: 'invoke_workflow plan: limit 0.0005' });
    const run = e.ended('invoke_workflow plan');
    // The worker's aborted stream settles at its running cost, $0.00075; the first call was released.
    expect(run.attributes[ATTR_COSTTRACE_RUN_TOTAL_COST_USD]).toBe(0.00075);
    expect(run.attributes['costtrace.budget.spent_usd']).toBe(0.00075);
  });

  it('ignores a malformed run scope in baggage with one warning', () => {
    env = setup();
    const bad = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ [BAGGAGE_COSTTRACE_RUN_SCOPE]: { value: 'not-a-scope' }, [BAGGAGE_COSTTRACE_RUN_LIMIT_USD]: { value: '0' } }),
    );
    const c = env.call(bad);
    c.end();
    env.call(bad).end();
    expect(env.log.warnings).toEqual(['BudgetSpanProcessor: baggage costtrace.run.scope="not-a-scope" is not {traceId}-{spanId}; no run budget is taken from it']);
  });
});
