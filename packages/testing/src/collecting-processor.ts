import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Collects started and ended spans synchronously. The SDK's SimpleSpanProcessor
 * exports a tick after `end()`, so tests that read spans right away use this.
 */
export class CollectingProcessor implements SpanProcessor {
  readonly started: Span[] = [];
  /** Spans started and not yet ended. */
  readonly open = new Set<Span>();
  readonly spans: ReadableSpan[] = [];
  onStart(span: Span): void {
    this.started.push(span);
    this.open.add(span);
  }
  onEnd(span: ReadableSpan): void {
    this.open.delete(span as unknown as Span);
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
