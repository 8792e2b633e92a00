import type { DiagLogger } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';

/** Collects ended spans synchronously (the SDK's SimpleSpanProcessor exports after a tick). */
class CollectingProcessor implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export function tracing() {
  const collector = new CollectingProcessor();
  const provider = new TracerProvider({ spanProcessors: [collector] });
  return { exporter: { getFinishedSpans: () => collector.spans }, provider, tracer: provider.getTracer('test') };
}

export function recordingDiag(): DiagLogger & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  const noop = () => {};
  return { errors, error: (...a: unknown[]) => errors.push(a), warn: noop, info: noop, debug: noop, verbose: noop };
}
