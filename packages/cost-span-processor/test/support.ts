import { context, diag, DiagLogLevel, trace, type Attributes, type Context, type DiagLogger, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { TracerProvider, type ReadableSpan, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { CostSpanProcessor, type CostSpanProcessorOptions } from '../src/index';
import { CollectingProcessor } from '@costtrace/testing';

export { CollectingProcessor } from '@costtrace/testing';

class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

let contextManagerSet = false;
/** withRun/withAgent nest through the active context. */
export function useContextManager(): void {
  if (contextManagerSet) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerSet = true;
}

export interface Harness {
  processor: CostSpanProcessor;
  provider: TracerProvider;
  tracer: Tracer;
  collector: CollectingProcessor;
  reader: MetricReader;
  /** The ended span named `name` (the only one). */
  span(name: string): ReadableSpan;
  shutdown(): Promise<void>;
}

export function harness(
  options: CostSpanProcessorOptions = {},
  extra: { sampler?: Sampler; processors?: SpanProcessor[] } = {},
): Harness {
  useContextManager();
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const processor = new CostSpanProcessor({ meterProvider, ...options });
  const collector = new CollectingProcessor();
  const provider = new TracerProvider({
    ...(extra.sampler ? { sampler: extra.sampler } : {}),
    spanProcessors: [processor, collector, ...(extra.processors ?? [])],
  });
  const tracer = provider.getTracer('test');
  return {
    processor,
    provider,
    tracer,
    collector,
    reader,
    span(name) {
      const found = collector.spans.filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one span named ${name}, got ${found.length}`);
      return found[0]!;
    },
    async shutdown() {
      await provider.shutdown();
      await processor.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** Starts a span as a child of `parent` (or of the active context). */
export function child(tracer: Tracer, name: string, attributes: Attributes, parent?: Span | Context): Span {
  const ctx = parent === undefined ? context.active() : 'spanContext' in parent ? trace.setSpan(context.active(), parent) : parent;
  return tracer.startSpan(name, { attributes }, ctx);
}

/** Attributes of a chat span from our own instrumentation, usage included. */
export function chatAttributes(model: string, input: number, output: number, extra: Attributes = {}): Attributes {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': output,
    ...extra,
  };
}

/** Data points of one metric after a collection. */
export async function points(reader: MetricReader, name: string): Promise<Array<DataPoint<number | Histogram>>> {
  const { resourceMetrics } = await reader.collect();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name === name) return metric.dataPoints as Array<DataPoint<number | Histogram>>;
    }
  }
  return [];
}

/** A diag logger that records warnings and errors; installed until the returned function runs. */
export function captureDiag(): { warnings: string[]; errors: unknown[][]; restore(): void } {
  const warnings: string[] = [];
  const errors: unknown[][] = [];
  const noop = () => {};
  const logger: DiagLogger = {
    error: (...a: unknown[]) => errors.push(a),
    warn: (message: string) => warnings.push(message),
    info: noop,
    debug: noop,
    verbose: noop,
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { warnings, errors, restore: () => diag.disable() };
}
