import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { spansFromOtlpJson } from './otlp-json';
import type { SpanRecord } from './span-record';

/**
 * Reads a span file as the OpenTelemetry Collector's `file` exporter writes it: OTLP JSON, one
 * ExportTraceServiceRequest per line (gzip-compressed or not). A file holding one JSON document
 * (a saved Jaeger api_v3 or Tempo trace response) is read too.
 */
export async function readSpanFile(path: string): Promise<SpanRecord[]> {
  let bytes = await readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return parseSpanLines(bytes.toString('utf8'), path);
}

/** The spans of OTLP JSON lines (or one JSON document); `name` labels parse errors. */
export function parseSpanLines(text: string, name = 'input'): SpanRecord[] {
  const spans: SpanRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      try {
        return spansOfDocument(JSON.parse(text));
      } catch {
        throw new Error(`${name}:${i + 1}: not a line of OTLP JSON`);
      }
    }
    spans.push(...spansOfDocument(doc));
  }
  return spans;
}

/** An OTLP document, or a Jaeger api_v3 `{ result: … }` / Tempo v2 `{ trace: … }` wrapper of one. */
function spansOfDocument(doc: unknown): SpanRecord[] {
  if (typeof doc === 'object' && doc !== null) {
    const d = doc as Record<string, unknown>;
    if (d.result !== undefined) return spansFromOtlpJson(d.result);
    if (d.trace !== undefined) return spansFromOtlpJson(d.trace);
  }
  return spansFromOtlpJson(doc);
}
