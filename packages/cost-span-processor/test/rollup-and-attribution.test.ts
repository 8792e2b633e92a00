import { afterEach, describe, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { withAgent, withRun, withStep } from '@costtrace/core';
import { chatAttributes, child, harness, type Harness } from './support';

let h: Harness;
afterEach(async () => {
  await h.shutdown();
  delete process.env.COSTTRACE_BAGGAGE_KEYS;
});

const subtree = (cost: number | undefined, calls: number, input: number, output: number, unpriced = 0) => ({
  ...(cost === undefined ? {} : { 'costtrace.subtree.cost_usd': cost }),
  'costtrace.subtree.llm_calls': calls,
  'costtrace.subtree.input_tokens': input,
  'costtrace.subtree.output_tokens': output,
  'costtrace.subtree.unpriced_calls': unpriced,
});

describe('rollup', () => {
  it('rolls every call into each ancestor: step, agent and run', () => {
    h = harness();
    withRun('nightly', { tracer: h.tracer, runId: 'run-42' }, () =>
      withAgent('researcher', { tracer: h.tracer }, () =>
        withStep('search', { tracer: h.tracer }, () => {
          // 2 × (1000 × $0.15/M + 500 × $0.60/M) = $0.0009, + an unpriced call
          h.tracer.startSpan('c1', { attributes: chatAttributes('gpt-4o-mini', 1000, 500) }).end();
          h.tracer.startSpan('c2', { attributes: chatAttributes('gpt-4o-mini', 1000, 500) }).end();
          h.tracer.startSpan('c3', { attributes: chatAttributes('my-finetune', 10, 5) }).end();
        }),
      ),
    );
    expect(h.span('search').attributes).toEqual({ 'costtrace.step.name': 'search', ...subtree(0.0009, 3, 2010, 1005, 1) });
    expect(h.span('invoke_agent researcher').attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'researcher',
      ...subtree(0.0009, 3, 2010, 1005, 1),
    });
    expect(h.span('invoke_workflow nightly').attributes).toEqual({
      'gen_ai.operation.name': 'invoke_workflow',
      'costtrace.run.name': 'nightly',
      'costtrace.run.id': 'run-42',
      ...subtree(0.0009, 3, 2010, 1005, 1),
    });
    for (const name of ['c1', 'c2', 'c3']) {
      expect(h.span(name).attributes['gen_ai.agent.name']).toBe('researcher');
      expect(h.span(name).attributes['costtrace.run.id']).toBe('run-42');
    }
  });

  it('writes call counts but no cost on a subtree whose calls are all unpriced', () => {
    h = harness();
    withRun('r', { tracer: h.tracer, runId: 'r' }, () => {
      h.tracer.startSpan('c1', { attributes: chatAttributes('my-finetune', 10, 5) }).end();
      h.tracer.startSpan('c2', { attributes: chatAttributes('other-finetune', 20, 5) }).end();
    });
    expect(h.span('invoke_workflow r').attributes).toEqual({
      'gen_ai.operation.name': 'invoke_workflow',
      'costtrace.run.name': 'r',
      'costtrace.run.id': 'r',
      ...subtree(undefined, 2, 30, 10, 2),
    });
  });

  it('writes nothing on spans whose subtree holds no model call', () => {
    h = harness();
    withRun('quiet', { tracer: h.tracer, runId: 'q' }, () => withStep('noop', { tracer: h.tracer }, () => {}));
    expect(h.span('noop').attributes).toEqual({ 'costtrace.step.name': 'noop' });
    expect(h.span('invoke_workflow quiet').attributes).toEqual({
      'gen_ai.operation.name': 'invoke_workflow',
      'costtrace.run.name': 'quiet',
      'costtrace.run.id': 'q',
    });
  });

  it('sums exactly in pico-USD: 1,000 calls of $0.00045 make $0.45', () => {
    h = harness();
    withRun('many', { tracer: h.tracer, runId: 'm' }, () => {
      for (let i = 0; i < 1000; i++) h.tracer.startSpan('c', { attributes: chatAttributes('gpt-4o-mini', 1000, 500) }).end();
    });
    expect(h.span('invoke_workflow many').attributes['costtrace.subtree.cost_usd']).toBe(0.45);
  });
});

describe('run and agent attribution', () => {
  it('keeps an agent name the span already has and stamps the run of a nested workflow', () => {
    h = harness();
    withRun('outer', { tracer: h.tracer, runId: 'outer' }, () =>
      withAgent('planner', { tracer: h.tracer }, () =>
        withRun('inner', { tracer: h.tracer }, (innerRun) => {
          h.tracer.startSpan('own', { attributes: chatAttributes('gpt-4o-mini', 1, 1, { 'gen_ai.agent.name': 'self' }) }).end();
          h.tracer.startSpan('plain', { attributes: chatAttributes('gpt-4o-mini', 1, 1) }).end();
          const { traceId, spanId } = innerRun.spanContext();
          expect(innerRun.isRecording()).toBe(true);
          return `${traceId}-${spanId}`;
        }),
      ),
    );
    const inner = h.span('invoke_workflow inner');
    const innerId = `${inner.spanContext().traceId}-${inner.spanContext().spanId}`;
    expect(h.span('own').attributes['gen_ai.agent.name']).toBe('self');
    // withRun starts a new agent scope: the planner outside the inner run is not this call's agent.
    expect(h.span('plain').attributes['gen_ai.agent.name']).toBeUndefined();
    expect(h.span('plain').attributes['costtrace.run.id']).toBe(innerId);
    expect(h.span('invoke_workflow outer').attributes['costtrace.subtree.llm_calls']).toBe(2);
  });

  it('uses the local root as the run when there is no workflow span, and writes its id on it', () => {
    h = harness();
    const root = h.tracer.startSpan('GET /report');
    const agent = child(h.tracer, 'invoke_agent writer', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'writer' }, root);
    child(h.tracer, 'call', chatAttributes('gpt-4o-mini', 1000, 500), agent).end();
    agent.end();
    root.end();
    const { traceId, spanId } = root.spanContext();
    expect(h.span('call').attributes['costtrace.run.id']).toBe(`${traceId}-${spanId}`);
    expect(h.span('call').attributes['gen_ai.agent.name']).toBe('writer');
    expect(h.span('GET /report').attributes).toEqual({ 'costtrace.run.id': `${traceId}-${spanId}`, ...subtree(0.00045, 1, 1000, 500) });
  });

  it('falls back to the run and agent the context carries when their spans are not recording', () => {
    h = harness();
    // A tracer with no SDK behind it: withRun/withAgent spans are non-recording.
    const noop = trace.getTracerProvider().getTracer('noop');
    withRun('dropped', { tracer: noop, runId: 'ctx-run' }, () =>
      withAgent('ghost', { tracer: noop }, () => {
        h.tracer.startSpan('call', { attributes: chatAttributes('gpt-4o-mini', 1000, 500) }).end();
      }),
    );
    expect(h.span('call').attributes['costtrace.run.id']).toBe('ctx-run');
    expect(h.span('call').attributes['gen_ai.agent.name']).toBe('ghost');
  });

  it.each([
    ['the baggageKeys option', { baggageKeys: ['tenant.id', 'user.id'] }, undefined],
    ['env COSTTRACE_BAGGAGE_KEYS', {}, ' tenant.id , user.id '],
  ])('copies the named baggage entries onto inference spans only, from %s', (_label, options, env) => {
    if (env !== undefined) process.env.COSTTRACE_BAGGAGE_KEYS = env;
    h = harness(options);
    const bag = propagation.createBaggage({ 'tenant.id': { value: 'acme' }, 'user.id': { value: 'u7' }, secret: { value: 'x' } });
    context.with(propagation.setBaggage(context.active(), bag), () =>
      withRun('b', { tracer: h.tracer, runId: 'b' }, () => {
        h.tracer.startSpan('call', { attributes: chatAttributes('gpt-4o-mini', 1, 1) }).end();
      }),
    );
    expect(h.span('call').attributes['tenant.id']).toBe('acme');
    expect(h.span('call').attributes['user.id']).toBe('u7');
    expect(h.span('call').attributes['secret']).toBeUndefined();
    expect(h.span('invoke_workflow b').attributes['tenant.id']).toBeUndefined();
  });
});
