import type { DiagLogger } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

export type Signal = 'spans' | 'metrics';

/**
 * Turns export failures into one line per signal on stderr instead of the
 * SDK's JSON stack dumps: the first failure of each signal is a warning naming
 * the collector and the cause, later ones go to debug. Failures it has
 * reported are marked, so the global error handler (where the batch span
 * processor sends them again) keeps them at debug too.
 */
export class ExportErrors {
  private readonly _diag: DiagLogger;
  private readonly _urls: Record<Signal, string>;
  private readonly _warned = new Set<Signal>();
  private readonly _reported = new WeakSet<object>();

  constructor(diag: DiagLogger, urls: Record<Signal, string>) {
    this._diag = diag;
    this._urls = urls;
  }

  /** Records one export's result; returns the result to hand on (its error marked as reported). */
  observe(signal: Signal, result: ExportResult): ExportResult {
    if (result.code === ExportResultCode.SUCCESS) return result;
    const error = result.error ?? new Error(`${signal} export failed`);
    this._reported.add(error);
    const cause = describeError(error);
    if (this._warned.has(signal)) {
      this._diag.debug(`costtrace: could not export ${signal} to ${this._urls[signal]} (${cause})`);
    } else {
      this._warned.add(signal);
      this._diag.warn(
        `costtrace: could not export ${signal} to ${this._urls[signal]} (${cause}); further export errors are logged at debug level`,
      );
    }
    return { code: result.code, error };
  }

  /** The OpenTelemetry global error handler: one line, and nothing twice for an export failure already reported. */
  handle(error: unknown): void {
    const text = describeError(error);
    if (typeof error === 'object' && error !== null && this._reported.has(error)) {
      this._diag.debug(`costtrace: OpenTelemetry: ${text}`);
      return;
    }
    this._diag.warn(`costtrace: OpenTelemetry: ${text}`);
  }

  /** Wraps a span exporter so its results pass through {@link observe}. */
  wrap(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) =>
        exporter.export(spans, (result) => done(this.observe('spans', result))),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }
}

/** The collector URL an OTLP/HTTP exporter posts `signal` to, as the exporters resolve it from the environment. */
export function otlpUrl(env: NodeJS.ProcessEnv, path: 'traces' | 'metrics'): string {
  const specific = env[`OTEL_EXPORTER_OTLP_${path.toUpperCase()}_ENDPOINT`]?.trim();
  if (specific) return specific;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || 'http://localhost:4318';
  return `${base.replace(/\/+$/, '')}/v1/${path}`;
}

/** One line: the error's message, else its code (an AggregateError of refused connections has no message). */
export function describeError(error: unknown): string {
  let text: string;
  if (typeof error !== 'object' || error === null) text = String(error);
  else {
    const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof message === 'string' && message) text = message;
    else if (typeof code === 'string') text = code;
    else if (Array.isArray(errors) && errors.length > 0) text = describeError(errors[0]);
    else text = String(error);
  }
  return text.split('\n')[0]!.slice(0, 200);
}
