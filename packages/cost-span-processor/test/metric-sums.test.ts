import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatAttributes, child, harness, points, type Harness } from './support';

let h: Harness | undefined;
afterEach(async () => {
  await h?.shutdown();
  h = undefined;
  vi.restoreAllMocks();
});

describe('cost counters', () => {
  it('sum exactly: six calls of $0.00045 are $0.0027, not the 0.0026999999999999997 that adding doubles gives', async () => {
    h = harness();
    const run = h.tracer.startSpan('run');
    // Each: 1000 × 0.15 + 500 × 0.60 per million = 150 + 300 = 450 µ$.
    for (let i = 0; i < 6; i++) child(h.tracer, `c${i}`, chatAttributes('gpt-4o-mini', 1000, 500), run).end();
    run.end();
    expect((await points(h.reader, 'costtrace.cost')).map((p) => p.value)).toEqual([0.0027]);
  });

  it('are summed in the processor and reported at collection, not recorded through the metrics SDK per call', async () => {
    const recorded: string[] = [];
    class Reader extends MetricReader {
      protected onForceFlush(): Promise<void> {
        return Promise.resolve();
      }
      protected onShutdown(): Promise<void> {
        return Promise.resolve();
      }
    }
    const reader = new Reader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const getMeter = meterProvider.getMeter.bind(meterProvider);
    vi.spyOn(meterProvider, 'getMeter').mockImplementation((...args) => {
      const meter = getMeter(...args);
      const createCounter = meter.createCounter.bind(meter);
      meter.createCounter = (name, options) => {
        const counter = createCounter(name, options);
        return { add: (value, attributes) => (recorded.push(name), counter.add(value, attributes)) };
      };
      return meter;
    });
    h = harness({ meterProvider });
    for (let i = 0; i < 3; i++) h.tracer.startActiveSpan(`c${i}`, { attributes: chatAttributes('gpt-4o-mini', 1000, 500) }, (s) => s.end());
    expect(recorded).toEqual([]);
    const { resourceMetrics } = await reader.collect();
    const cost = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'costtrace.cost');
    // 3 × 450 µ$.
    expect(cost?.dataPoints.map((p) => p.value)).toEqual([0.00135]);
    await meterProvider.shutdown();
  });
});
