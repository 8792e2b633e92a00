import { context, diag, DiagLogLevel, trace, type Context, type DiagLogger, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { InferenceCall, type CallEstimate } from '@costtrace/pipeline';
import { BudgetSpanProcessor, type BudgetSpanProcessorOptions } from '../src/index';
import { CollectingProcessor } from '@costtrace/testing';


class TestMetricReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Warnings and errors sent to the global diag logger. */
export interface DiagRecord {
  warnings: string[];
  errors: unknown[][];
}

export function recordDiag(): DiagRecord {
  const record: DiagRecord = { warnings: [], errors: [] };
  const noop = () => {};
  const logger: DiagLogger = {
    error: (...a: unknown[]) => record.errors.push(a),
    warn: (message: string) => record.warnings.push(message),
    info: noop,
    debug: noop,
    verbose: noop,
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return record;
}

let contextManager: AsyncLocalStorageContextManager | undefined;

/** A real TracerProvider with the budget processor, a synchronous collector and a metric reader. */
export function setup(options: BudgetSpanProcessorOptions = {}) {
  if (!contextManager) {
    contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
  }
  const log = recordDiag();
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const processor = new BudgetSpanProcessor({ meterProvider, ...options });
  const collector = new CollectingProcessor();
  const provider = new TracerProvider({ spanProcessors: [processor, collector] });
  const tracer = provider.getTracer('test');
  const callDiag: DiagLogger = diag;

  const ended = (name: string): ReadableSpan => {
    const span = collector.spans.find((s) => s.name === name);
    if (!span) throw new Error(`no ended span named ${name}`);
    return span;
  };

  /** Starts a simulated instrumented call under `parent`. */
  const call = (parent: Span | Context | undefined, init: Partial<CallInit> = {}): InferenceCall => {
    const parentContext = parent === undefined ? context.active() : 'spanContext' in parent ? trace.setSpan(context.active(), parent) : parent;
    return InferenceCall.start({
      tracer,
      diag: callDiag,
      provider: init.provider ?? 'openai',
      operation: 'chat',
      requestModel: init.model ?? 'gpt-4o-mini',
      streaming: init.streaming ?? true,
      estimate: { inputTokens: 1000, maxOutputTokens: 100, choices: 1, ...init.estimate },
      parentContext,
    });
  };

  const metrics = async (): Promise<Record<string, Array<{ attributes: Record<string, unknown>; value: unknown }>>> => {
    const { resourceMetrics } = await reader.collect();
    return flattenMetrics(resourceMetrics);
  };

  const cleanup = async (): Promise<void> => {
    await provider.shutdown();
    await processor.shutdown();
    diag.disable();
  };

  /** A tracer of another instrumentation scope (a foreign client's spans). */
  const tracerFor = (scope: string, version?: string) => provider.getTracer(scope, version);

  return { processor, tracer, tracerFor, collector, log, ended, call, metrics, cleanup };
}

export interface CallInit {
  provider: string;
  model: string;
  streaming: boolean;
  estimate: Partial<CallEstimate>;
}

function flattenMetrics(rm: ResourceMetrics) {
  const out: Record<string, Array<{ attributes: Record<string, unknown>; value: unknown }>> = {};
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) {
      out[metric.descriptor.name] = metric.dataPoints.map((p) => ({
        attributes: { ...p.attributes },
        value: typeof p.value === 'number' ? p.value : { count: (p.value as { count: number }).count, sum: (p.value as { sum?: number }).sum },
      }));
    }
  }
  return out;
}

/** Pico-USD per token of gpt-4o-mini in the bundled catalog: $0.15 and $0.60 per MTok. */
export const MINI_IN = 150_000n;
export const MINI_OUT = 600_000n;

/** A seeded PRNG (mulberry32), so randomized tests replay. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
