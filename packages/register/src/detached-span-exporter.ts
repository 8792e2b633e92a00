import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** Exports in flight at once before the batch processor is made to wait again. */
const MAX_IN_FLIGHT = 8;

/**
 * Sits between the batch span processor and the exporter and answers the
 * processor at once, so the processor's export timer (ref'd, 30 s by default)
 * is not left holding the event loop open while a batch waits on a collector
 * that never answers: a busy app's last batches would otherwise keep it alive
 * long after its work ended, and `beforeExit`, where costtrace exports with a
 * deadline, would not come. The export itself goes on in the background (its
 * sockets do not keep the process alive); `drain` waits for it. With
 * `MAX_IN_FLIGHT` exports out, the processor waits for the oldest, as it would
 * without this.
 */
export class DetachedSpanExporter implements SpanExporter {
  private readonly _exporter: SpanExporter;
  private readonly _inFlight = new Set<Promise<void>>();

  constructor(exporter: SpanExporter) {
    this._exporter = exporter;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const exported = new Promise<void>((resolve) => {
      try {
        this._exporter.export(spans, () => resolve());
      } catch {
        resolve();
      }
    });
    const tracked = exported.finally(() => this._inFlight.delete(tracked));
    this._inFlight.add(tracked);
    if (this._inFlight.size < MAX_IN_FLIGHT) {
      done({ code: ExportResultCode.SUCCESS });
      return;
    }
    void Promise.race(this._inFlight).then(() => done({ code: ExportResultCode.SUCCESS }));
  }

  /** Resolves when every export handed on so far has ended. */
  async drain(): Promise<void> {
    while (this._inFlight.size > 0) await Promise.all(this._inFlight);
  }

  async forceFlush(): Promise<void> {
    await this.drain();
    await this._exporter.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.drain();
    await this._exporter.shutdown();
  }
}
