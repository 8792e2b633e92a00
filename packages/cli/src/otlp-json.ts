import type { AttrValue, SpanEventRecord, SpanRecord } from './span-record';

// Reads OTLP JSON as its producers write it: the Collector's `file` exporter and Jaeger v2's
// api_v3 (hex ids, numeric enums, int64 as strings), OpenTelemetry JS (int64 as numbers), and
// Tempo (gogo jsonpb: base64 ids, enum names, `batches` in its v1 trace-by-id response).

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Reads the spans of one OTLP JSON document: an ExportTraceServiceRequest, TracesData or a Tempo trace. */
export function spansFromOtlpJson(doc: unknown): SpanRecord[] {
  if (!isObject(doc)) return [];
  const out: SpanRecord[] = [];
  const resourceSpans = list(doc.resourceSpans ?? doc.batches ?? doc.resource_spans);
  for (const rs of resourceSpans) {
    if (!isObject(rs)) continue;
    const resource = isObject(rs.resource) ? readAttributes(rs.resource.attributes) : {};
    const serviceName = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    for (const ss of list(rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? rs.scope_spans)) {
      if (!isObject(ss)) continue;
      for (const span of list(ss.spans)) {
        const record = readSpan(span, serviceName);
        if (record !== undefined) out.push(record);
      }
    }
  }
  return out;
}

function readSpan(span: unknown, serviceName: string | undefined): SpanRecord | undefined {
  if (!isObject(span)) return undefined;
  const traceId = idToHex(span.traceId ?? span.trace_id);
  const spanId = idToHex(span.spanId ?? span.span_id);
  if (traceId === undefined || spanId === undefined) return undefined;
  const parentSpanId = idToHex(span.parentSpanId ?? span.parent_span_id);
  const events: SpanEventRecord[] = list(span.events).filter(isObject).map((e) => ({
    name: typeof e.name === 'string' ? e.name : '',
    timeUnixNano: toNanos(e.timeUnixNano ?? e.time_unix_nano),
    attributes: readAttributes(e.attributes),
  }));
  return {
    traceId,
    spanId,
    ...(parentSpanId === undefined || /^0+$/.test(parentSpanId) ? {} : { parentSpanId }),
    name: typeof span.name === 'string' ? span.name : '',
    startTimeUnixNano: toNanos(span.startTimeUnixNano ?? span.start_time_unix_nano),
    endTimeUnixNano: toNanos(span.endTimeUnixNano ?? span.end_time_unix_nano),
    attributes: readAttributes(span.attributes),
    events,
    ...(serviceName === undefined ? {} : { serviceName }),
  };
}

/** `[{ key, value: AnyValue }]` → a plain map. */
export function readAttributes(attributes: unknown): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const kv of list(attributes)) {
    if (!isObject(kv) || typeof kv.key !== 'string') continue;
    const value = readAnyValue(kv.value);
    if (value !== undefined) out[kv.key] = value;
  }
  return out;
}

function readAnyValue(v: unknown): AttrValue | undefined {
  if (!isObject(v)) return undefined;
  if ('stringValue' in v) return String(v.stringValue);
  if ('boolValue' in v) return v.boolValue === true || v.boolValue === 'true';
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) {
    const values = isObject(v.arrayValue) ? list(v.arrayValue.values) : [];
    return values.map((x) => readAnyValue(x) ?? null);
  }
  if ('kvlistValue' in v) return isObject(v.kvlistValue) ? (readAttributes(v.kvlistValue.values) as { [key: string]: AttrValue }) : {};
  if ('bytesValue' in v) return String(v.bytesValue);
  return undefined;
}

/** A trace or span id in hex (OTLP JSON) or base64 (protobuf JSON of bytes, as Tempo writes it), as lowercase hex. */
export function idToHex(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  if ((id.length === 32 || id.length === 16) && /^[0-9a-fA-F]+$/.test(id)) return id.toLowerCase();
  const bytes = Buffer.from(id, 'base64');
  if (bytes.length !== 16 && bytes.length !== 8) return undefined;
  return bytes.toString('hex');
}

/** A Unix-nanosecond time written as a string, a number or `{ low, high }` long bits. */
export function toNanos(v: unknown): bigint {
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (isObject(v) && typeof v.low === 'number' && typeof v.high === 'number') {
    return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  }
  return 0n;
}
