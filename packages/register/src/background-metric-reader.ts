import { context, diag } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing, type ExportResult } from '@opentelemetry/core';
import { MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';

/**
 * Exports metrics every `intervalMillis`, like the SDK's
 * `PeriodicExportingMetricReader`, but holds nothing that keeps the process
 * alive: its interval is unref'd and an export in flight has no timer of its
 * own (the SDK's reader races each export against a ref'd timeout timer, and
 * with an interval shorter than the export timeout and a collector that never
 * answers, one export was always pending: the process never exited). One export
 * at a time; a tick while the last one is still out is skipped.
 */
export class BackgroundMetricReader extends MetricReader {
  private readonly _exporter: PushMetricExporter;
  private readonly _intervalMillis: number;
  private readonly _onResult: (result: ExportResult) => void;
  private _interval: ReturnType<typeof setInterval> | undefined;
  private _running: Promise<void> | undefined;

  constructor(exporter: PushMetricExporter, intervalMillis: number, onResult: (result: ExportResult) => void) {
    super({
      aggregationSelector: exporter.selectAggregation?.bind(exporter),
      aggregationTemporalitySelector: exporter.selectAggregationTemporality?.bind(exporter),
    });
    this._exporter = exporter;
    this._intervalMillis = intervalMillis;
    this._onResult = onResult;
  }

  protected override onInitialized(): void {
    this._interval = setInterval(() => void this._exportOnce(), this._intervalMillis);
    this._interval.unref?.();
  }

  protected override async onForceFlush(): Promise<void> {
    await this._running;
    await this._exportOnce();
    await this._exporter.forceFlush();
  }

  protected override async onShutdown(): Promise<void> {
    if (this._interval !== undefined) clearInterval(this._interval);
    await this.onForceFlush();
    await this._exporter.shutdown();
  }

  private _exportOnce(): Promise<void> {
    this._running ??= this._collectAndExport().finally(() => {
      this._running = undefined;
    });
    return this._running;
  }

  private async _collectAndExport(): Promise<void> {
    try {
      const { resourceMetrics, errors } = await this.collect();
      for (const err of errors) diag.debug('costtrace: metrics collection error', err);
      if (resourceMetrics.scopeMetrics.length === 0) return;
      // The exporter's own HTTP request is not traced.
      const result = await new Promise<ExportResult>((resolve) =>
        context.with(suppressTracing(context.active()), () => this._exporter.export(resourceMetrics, resolve)),
      );
      this._onResult(result);
    } catch (err) {
      this._onResult({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
}
