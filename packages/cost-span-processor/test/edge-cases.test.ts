import { afterEach, describe, expect, it, vi } from 'vitest';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  createAlwaysRecordSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { CostSpanProcessor } from '../src/index';
import { captureDiag, chatAttributes, child, CollectingProcessor, harness, points, type Harness } from './support';

let h: Harness | undefined;
let log: ReturnType<typeof captureDiag> | undefined;
afterEach(async () => {
  await h?.shutdown();
  h = undefined;
  log?.restore();
  log = undefined;
  vi.useRealTimers();
});

// sdk-trace 2.12 takes an options object; older lines took the exporter itself.
function exporting(exporter: InMemorySpanExporter): SimpleSpanProcessor {
  return new SimpleSpanProcessor({ exporter } as unknown as ConstructorParameters<typeof SimpleSpanProcessor>[0]);
}

const AGENT = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'a' };

describe('late arrivals', () => {
  it('counts a call that ends after its parent on the leaf, in metrics, and on the nearest open ancestor', async () => {
    h = harness();
    const run = h.tracer.startSpan('run', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'r' } });
    const agent = child(h.tracer, 'agent', AGENT, run);
    const onTime = child(h.tracer, 'on-time', chatAttributes('gpt-4o-mini', 1000, 500), agent);
    const late = child(h.tracer, 'late', chatAttributes('gpt-4o-mini', 1000, 500), agent);
    onTime.end();
    agent.end(); // the agent ends while `late` still runs
    late.end();
    run.end();
    expect(h.span('agent').attributes['costtrace.subtree.llm_calls']).toBe(1);
    expect(h.span('agent').attributes['costtrace.subtree.late_arrivals']).toBeUndefined();
    expect(h.span('late').attributes['gen_ai.usage.cost.amount']).toBe(0.00045);
    expect(h.span('late').attributes['gen_ai.agent.name']).toBe('a');
    expect(h.span('run').attributes).toEqual({
      'gen_ai.operation.name': 'invoke_workflow',
      'costtrace.run.id': 'r',
      'costtrace.subtree.cost_usd': 0.0009,
      'costtrace.subtree.llm_calls': 2,
      'costtrace.subtree.input_tokens': 2000,
      'costtrace.subtree.output_tokens': 1000,
      'costtrace.subtree.unpriced_calls': 0,
      'costtrace.subtree.late_arrivals': 1,
    });
    const [lateCount] = await points(h.reader, 'costtrace.spans.late_arrivals');
    expect(lateCount?.value).toBe(1);
    const costs = await points(h.reader, 'costtrace.cost');
    expect(costs.reduce((sum, p) => sum + (p.value as number), 0)).toBeCloseTo(0.0009, 12);
  });

  it('still prices and counts a call that ends after its whole trace', async () => {
    h = harness();
    const root = h.tracer.startSpan('root');
    const call = child(h.tracer, 'call', chatAttributes('gpt-4o-mini', 1000, 500), root);
    root.end();
    call.end();
    const { traceId, spanId } = h.span('root').spanContext();
    expect(h.span('call').attributes['gen_ai.usage.cost.amount']).toBe(0.00045);
    expect(h.span('call').attributes['costtrace.run.id']).toBe(`${traceId}-${spanId}`);
    expect(h.span('root').attributes).toEqual({});
    expect((await points(h.reader, 'costtrace.spans.late_arrivals'))[0]?.value).toBe(1);
    // The trace's state went with its last open span.
    expect(h.processor.spendUnder(traceId, spanId)).toBeUndefined();
  });
});

describe('trace shapes', () => {
  it('rolls up onto the local root of a trace whose parent is remote', () => {
    h = harness();
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const server = h.tracer.startSpan('POST /agent', {}, remote);
    child(h.tracer, 'call', chatAttributes('gpt-4o-mini', 1000, 500), server).end();
    server.end();
    const id = `${'a'.repeat(32)}-${server.spanContext().spanId}`;
    expect(h.span('POST /agent').attributes).toEqual({
      'costtrace.run.id': id,
      'costtrace.subtree.cost_usd': 0.00045,
      'costtrace.subtree.llm_calls': 1,
      'costtrace.subtree.input_tokens': 1000,
      'costtrace.subtree.output_tokens': 500,
      'costtrace.subtree.unpriced_calls': 0,
    });
    expect(h.span('call').attributes['costtrace.run.id']).toBe(id);
  });

  it('rolls up spans the user\'s sampler drops, recorded through createAlwaysRecordSampler and never exported', async () => {
    const exporter = new InMemorySpanExporter();
    h = harness({}, { sampler: createAlwaysRecordSampler(new AlwaysOffSampler()), processors: [exporting(exporter)] });
    const run = h.tracer.startSpan('run', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'r' } });
    child(h.tracer, 'call', chatAttributes('gpt-4o-mini', 1000, 500), run).end();
    run.end();
    await h.provider.forceFlush();
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(h.span('run').attributes['costtrace.subtree.cost_usd']).toBe(0.00045);
    expect(h.span('call').attributes['costtrace.pricing.status']).toBe('priced');
    expect((await points(h.reader, 'costtrace.cost'))[0]?.value).toBe(0.00045);
  });

  it('counts a span that ends twice once', async () => {
    log = captureDiag();
    h = harness();
    const run = h.tracer.startSpan('run', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'r' } });
    const call = child(h.tracer, 'call', chatAttributes('gpt-4o-mini', 1000, 500), run);
    call.end();
    call.end(); // the SDK refuses it with a diag.error
    const ended = h.collector.spans[0]!;
    h.processor.onEnding(ended as never); // a hook called again for an ended span
    h.processor.onEnd(ended);
    run.end();
    expect(h.span('run').attributes['costtrace.subtree.llm_calls']).toBe(1);
    expect((await points(h.reader, 'costtrace.cost'))[0]?.value).toBe(0.00045);
  });
});

describe('bounded state', () => {
  it('drops a trace that never ends after the TTL, with one warning and a dropped-state count', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    log = captureDiag();
    h = harness({ stateTtlMs: 1000 });
    const stuck = h.tracer.startSpan('stuck', { attributes: { 'gen_ai.operation.name': 'invoke_workflow' } });
    const { traceId, spanId } = stuck.spanContext();
    expect(h.processor.spendUnder(traceId, spanId)).toEqual({ costUsd: 0, llmCalls: 0, unpricedCalls: 0 });
    vi.advanceTimersByTime(1001);
    h.tracer.startSpan('a').end(); // first sweep: `stuck` was active in the last epoch
    vi.advanceTimersByTime(1001);
    h.tracer.startSpan('b').end(); // second sweep: idle for a whole epoch
    expect(h.processor.spendUnder(traceId, spanId)).toBeUndefined();
    vi.advanceTimersByTime(2002);
    h.tracer.startSpan('c').end();
    expect(log.warnings.filter((w) => w.includes('dropped cost state'))).toHaveLength(1);
    expect((await points(h.reader, 'costtrace.spans.dropped_state'))[0]?.value).toBe(1);
    // A call under the dropped trace is still priced, as a leaf.
    child(h.tracer, 'late call', chatAttributes('gpt-4o-mini', 1000, 500), stuck).end();
    expect(h.span('late call').attributes['costtrace.subtree.cost_usd']).toBe(0.00045);
  });

  it('drops the oldest trace past maxTrackedSpans', async () => {
    log = captureDiag();
    h = harness({ maxTrackedSpans: 3 });
    const old = h.tracer.startSpan('old');
    child(h.tracer, 'old child', {}, old);
    const fresh = h.tracer.startSpan('fresh');
    child(h.tracer, 'fresh child', {}, fresh);
    expect(h.processor.spendUnder(old.spanContext().traceId, old.spanContext().spanId)).toBeUndefined();
    expect(h.processor.spendUnder(fresh.spanContext().traceId, fresh.spanContext().spanId)).toBeDefined();
    expect((await points(h.reader, 'costtrace.spans.dropped_state'))[0]?.value).toBe(2);
    expect(log.warnings.filter((w) => w.includes('maxTrackedSpans'))).toHaveLength(1);
  });

  it('holds no state once every trace has ended', () => {
    h = harness();
    for (let i = 0; i < 50; i++) {
      const root = h.tracer.startSpan('root');
      child(h.tracer, 'call', chatAttributes('gpt-4o-mini', 1, 1), root).end();
      root.end();
    }
    const store = (h.processor as unknown as { _tree: { trackedSpans: number; traceCount: number } })._tree;
    expect([store.trackedSpans, store.traceCount]).toEqual([0, 0]);
  });
});

describe('robustness', () => {
  it('never throws from a hook, even on a hostile span', () => {
    log = captureDiag();
    const processor = new CostSpanProcessor();
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
    expect(() => processor.onStart(hostile as never, context.active())).not.toThrow();
    expect(() => processor.onEnding(hostile as never)).not.toThrow();
    expect(() => processor.onEnd(hostile as never)).not.toThrow();
    expect(log.errors.length).toBeGreaterThan(0);
    void processor.shutdown();
  });

  it('without onEnding, warns once and writes into the ended span for the processors after it', () => {
    log = captureDiag();
    const processor = new CostSpanProcessor();
    const collector = new CollectingProcessor();
    // A provider that predates onEnding: hide the hook.
    const legacy = { onStart: processor.onStart.bind(processor), onEnd: processor.onEnd.bind(processor), forceFlush: () => processor.forceFlush(), shutdown: () => processor.shutdown() };
    const provider = new TracerProvider({ spanProcessors: [legacy, collector] });
    const tracer = provider.getTracer('legacy');
    const root = tracer.startSpan('root', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'r' } });
    child(tracer, 'call', chatAttributes('gpt-4o-mini', 1000, 500), root).end();
    root.end();
    const [call, run] = collector.spans;
    expect(call!.attributes['gen_ai.usage.cost.amount']).toBe(0.00045);
    expect(run!.attributes['costtrace.subtree.cost_usd']).toBe(0.00045);
    expect(log.warnings.filter((w) => w.includes('does not call onEnding'))).toHaveLength(1);
    void processor.shutdown();
  });
});
