import { afterEach, describe, expect, it } from 'vitest';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, InMemorySpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { currentCost, withAgent, withRun } from '@costtrace/core';
import { RUN_COST_HISTOGRAM_BUCKETS_USD, TOKEN_USAGE_HISTOGRAM_BUCKETS } from '@costtrace/semconv';
import { CostSpanProcessor } from '../src/index';
import { chatAttributes, harness, points, useContextManager, type Harness } from './support';

let h: Harness | undefined;
afterEach(async () => {
  await h?.shutdown();
  h = undefined;
});

const call = (hh: Harness, name: string, model = 'gpt-4o-mini', extra = {}) =>
  hh.tracer.startSpan(name, { attributes: chatAttributes(model, 1000, 500, extra) }).end();

describe('cost ledger', () => {
  it('gives live spend of the current run and agent: the calls that have ended under them so far', () => {
    const hh = (h = harness());
    const seen = withRun('live', { tracer: hh.tracer, runId: 'live' }, () => {
      const before = currentCost();
      const inAgent = withAgent('researcher', { tracer: hh.tracer }, () => {
        call(hh, 'c1');
        call(hh, 'c2', 'my-finetune');
        return currentCost();
      });
      call(hh, 'c3');
      return { before, inAgent, after: currentCost() };
    });
    expect(seen.before).toEqual({ run: { costUsd: 0, llmCalls: 0, unpricedCalls: 0 }, agent: undefined });
    expect(seen.inAgent).toEqual({
      run: { costUsd: 0.00045, llmCalls: 2, unpricedCalls: 1 },
      agent: { costUsd: 0.00045, llmCalls: 2, unpricedCalls: 1 },
    });
    expect(seen.after).toEqual({ run: { costUsd: 0.0009, llmCalls: 3, unpricedCalls: 1 }, agent: undefined });
  });

  it('is removed at shutdown', async () => {
    const hh = harness();
    await hh.shutdown();
    const cost = withRun('gone', { tracer: hh.tracer }, () => currentCost());
    expect(cost).toEqual({ run: undefined, agent: undefined });
  });
});

describe('metrics', () => {
  it('counts cost by provider, models, agent and status; tokens by type; unpriced calls', async () => {
    const hh = (h = harness());
    withRun('m', { tracer: hh.tracer, runId: 'm' }, () =>
      withAgent('writer', { tracer: hh.tracer }, () => {
        call(hh, 'c1', 'gpt-4o-mini', { 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18' });
        call(hh, 'c2', 'my-finetune');
      }),
    );
    const cost = await points(hh.reader, 'costtrace.cost');
    expect(cost.map((p) => [p.attributes, p.value])).toEqual([
      [
        {
          'costtrace.pricing.status': 'priced',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.agent.name': 'writer',
        },
        0.00045,
      ],
    ]);
    const unpriced = await points(hh.reader, 'costtrace.calls.unpriced');
    expect(unpriced.map((p) => [p.attributes, p.value])).toEqual([
      [{ 'costtrace.pricing.status': 'unpriced', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'my-finetune' }, 1],
    ]);
    const tokens = await points(hh.reader, 'gen_ai.client.token.usage');
    expect(tokens.map((p) => [p.attributes['gen_ai.token.type'], p.attributes['gen_ai.request.model'], (p.value as { sum: number }).sum])).toEqual([
      ['input', 'gpt-4o-mini', 1000],
      ['output', 'gpt-4o-mini', 500],
      ['input', 'my-finetune', 1000],
      ['output', 'my-finetune', 500],
    ]);
    expect((tokens[0]!.value as { buckets: { boundaries: number[] } }).buckets.boundaries).toEqual([...TOKEN_USAGE_HISTOGRAM_BUCKETS]);
  });

  it('keeps each identity\'s attribute sets apart when calls alternate models, agents and response models', async () => {
    // The last call's sets are reused only for a call with the same identity: a stale one would merge points.
    const hh = (h = harness());
    withAgent('a1', { tracer: hh.tracer }, () => call(hh, 'c1', 'gpt-4o-mini'));
    withAgent('a2', { tracer: hh.tracer }, () => call(hh, 'c2', 'gpt-4o-mini'));
    call(hh, 'c3', 'gpt-4o');
    call(hh, 'c4', 'gpt-4o', { 'gen_ai.response.model': 'gpt-4o-2024-08-06' });
    call(hh, 'c5', 'gpt-4o-mini');
    call(hh, 'c6', 'gpt-4o-mini');
    const cost = await points(hh.reader, 'costtrace.cost');
    expect(cost.map((p) => [p.attributes['gen_ai.request.model'], p.attributes['gen_ai.response.model'], p.attributes['gen_ai.agent.name'], p.value])).toEqual([
      ['gpt-4o-mini', undefined, 'a1', 0.00045],
      ['gpt-4o-mini', undefined, 'a2', 0.00045],
      ['gpt-4o', undefined, undefined, 0.0075],
      ['gpt-4o', 'gpt-4o-2024-08-06', undefined, 0.0075],
      ['gpt-4o-mini', undefined, undefined, 0.0009],
    ]);
    const tokens = await points(hh.reader, 'gen_ai.client.token.usage');
    expect(tokens.map((p) => [p.attributes['gen_ai.token.type'], p.attributes['gen_ai.request.model'], p.attributes['gen_ai.response.model'], (p.value as { count: number }).count])).toEqual([
      ['input', 'gpt-4o-mini', undefined, 4],
      ['output', 'gpt-4o-mini', undefined, 4],
      ['input', 'gpt-4o', undefined, 1],
      ['output', 'gpt-4o', undefined, 1],
      ['input', 'gpt-4o', 'gpt-4o-2024-08-06', 1],
      ['output', 'gpt-4o', 'gpt-4o-2024-08-06', 1],
    ]);
  });

  it('records each run\'s cost when the run span ends, on the explicit bucket boundaries', async () => {
    const hh = (h = harness());
    withRun('nightly', { tracer: hh.tracer, runId: 'a' }, () => call(hh, 'c1'));
    withRun('nightly', { tracer: hh.tracer, runId: 'b' }, () => {
      call(hh, 'c2');
      call(hh, 'c3');
    });
    withRun('unpriced-only', { tracer: hh.tracer }, () => call(hh, 'c4', 'my-finetune'));
    const [runs, ...rest] = await points(hh.reader, 'costtrace.run.cost');
    expect(rest).toEqual([]);
    expect(runs!.attributes).toEqual({ 'costtrace.run.name': 'nightly' });
    const value = runs!.value as { count: number; sum: number; buckets: { boundaries: number[] } };
    expect([value.count, value.sum]).toEqual([2, 0.00045 + 0.0009]);
    expect(value.buckets.boundaries).toEqual([...RUN_COST_HISTOGRAM_BUCKETS_USD]);
  });

  it('counts every call even when the span export queue drops spans', async () => {
    const exporter = new InMemorySpanExporter();
    const batch = new BatchSpanProcessor({ exporter, maxQueueSize: 2, scheduledDelayMillis: 60_000 } as unknown as ConstructorParameters<typeof BatchSpanProcessor>[0]);
    const hh = (h = harness({}, { processors: [batch] }));
    withRun('flood', { tracer: hh.tracer, runId: 'f' }, () => {
      for (let i = 0; i < 20; i++) call(hh, `c${i}`);
    });
    await batch.forceFlush();
    expect(exporter.getFinishedSpans().length).toBeLessThan(21);
    const [cost] = await points(hh.reader, 'costtrace.cost');
    expect(cost!.value).toBeCloseTo(20 * 0.00045, 12);
  });

  it('follows a global MeterProvider registered after the processor was built', async () => {
    useContextManager();
    const processor = new CostSpanProcessor();
    const provider = new TracerProvider({ spanProcessors: [processor] });
    const reader = new (class extends MetricReader {
      protected onForceFlush = () => Promise.resolve();
      protected onShutdown = () => Promise.resolve();
    })();
    const meterProvider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(meterProvider);
    try {
      provider.getTracer('t').startSpan('c', { attributes: chatAttributes('gpt-4o-mini', 1000, 500) }).end();
      expect((await points(reader, 'costtrace.cost'))[0]?.value).toBe(0.00045);
    } finally {
      metrics.disable();
      await provider.shutdown();
      await meterProvider.shutdown();
    }
  });
});
