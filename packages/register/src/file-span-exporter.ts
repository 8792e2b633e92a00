import { appendFile, writeFile } from 'node:fs/promises';
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** Options of {@link FileSpanExporter}. */
export interface FileSpanExporterOptions {
  /** The file spans are written to (created if absent). */
  path: string;
  /**
   * Append to an existing file (`true`) or start it empty (`false`), as the Collector's `append` option.
   * @default true
   */
  append?: boolean;
}

/**
 * Writes spans to a file as the OpenTelemetry Collector's `file` exporter does with its default
 * `format: json`: OTLP JSON (trace and span ids in hex, 64-bit integers as strings), one
 * `ExportTraceServiceRequest` per line, one line per export. Any OTLP JSON reader (`costtrace
 * report`, the Collector's `otlpjsonfile` receiver) reads it back. Writes go one after another, in
 * the order exported; a failed write fails that export (reported through the SDK's error handler).
 */
export class FileSpanExporter implements SpanExporter {
  private readonly _path: string;
  private _pending: Promise<void>;
  private _shutdown = false;

  constructor(options: FileSpanExporterOptions) {
    this._path = options.path;
    // Truncated once, before the first line; exports queue behind it.
    this._pending = options.append === false ? writeFile(this._path, '').catch((err) => this._warn(err)) : Promise.resolve();
  }

  /** The file written to. */
  get path(): string {
    return this._path;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this._shutdown) {
      done({ code: ExportResultCode.FAILED, error: new Error('FileSpanExporter is shut down') });
      return;
    }
    let line: string;
    try {
      line = toOtlpJsonLine(spans);
    } catch (err) {
      done({ code: ExportResultCode.FAILED, error: err as Error });
      return;
    }
    this._pending = this._pending.then(() =>
      appendFile(this._path, line).then(
        () => done({ code: ExportResultCode.SUCCESS }),
        (err: Error) => done({ code: ExportResultCode.FAILED, error: err }),
      ),
    );
  }

  /** Resolves when every line handed to it so far is written. */
  forceFlush(): Promise<void> {
    return this._pending;
  }

  shutdown(): Promise<void> {
    this._shutdown = true;
    return this._pending;
  }

  private _warn(err: unknown): void {
    diag.warn(`costtrace: could not truncate ${this._path}`, err);
  }
}

/**
 * One line of OTLP JSON for these spans. The SDK's JSON serializer (the one the OTLP/HTTP JSON
 * exporter sends) writes an integer attribute as a JSON number; the protobuf JSON mapping, and
 * the Collector, write int64 as a string, so it is rewritten here. Either parses as OTLP.
 */
export function toOtlpJsonLine(spans: ReadableSpan[]): string {
  const json = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans as never));
  const request: unknown = JSON.parse(json, (key, value: unknown) =>
    key === 'intValue' && typeof value === 'number' ? String(value) : value,
  );
  return `${JSON.stringify(request)}\n`;
}
