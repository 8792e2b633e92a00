// Reads a file of OTLP JSON lines (the Collector's `file` exporter format: one ExportTraceServiceRequest
// per line) into flat spans with plain attribute maps.
import { readFile } from 'node:fs/promises';

export async function readOtlpJsonFile(path) {
  const text = await readFile(path, 'utf8');
  const spans = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const request = JSON.parse(line);
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = attributeMap(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            startTimeUnixNano: BigInt(span.startTimeUnixNano),
            endTimeUnixNano: BigInt(span.endTimeUnixNano),
            attributes: attributeMap(span.attributes),
            events: (span.events ?? []).map((e) => ({ name: e.name, attributes: attributeMap(e.attributes) })),
            status: span.status ?? {},
            scope: scopeSpans.scope?.name,
            resource,
          });
        }
      }
    }
  }
  return spans;
}

function attributeMap(list = []) {
  const out = {};
  for (const { key, value } of list) out[key] = anyValue(value);
  return out;
}

/** An OTLP AnyValue as a JS value: int64 (a string in OTLP JSON) as a number. */
function anyValue(value = {}) {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in value) return attributeMap(value.kvlistValue.values);
  if ('bytesValue' in value) return value.bytesValue;
  return undefined;
}
