import { getJson, mapLimited, trimBase, type Progress } from './http-json';
import type { AttrValue, SpanRecord } from './span-record';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface JaegerClassicQuery {
  url: string;
  services: string[];
  since: Date;
  until: Date;
  limit?: number;
  progress?: Progress;
}

/**
 * Reads spans from Jaeger's classic query API, the one its UI uses (Jaeger v1, and v2 still):
 * `GET /api/traces?service=…&start=…&end=…&limit=…` (Unix microseconds) answering
 * `{"data": [{traceID, spans, processes}]}` in its UI model (internal/uimodel/model.go): typed
 * `tags`, `logs` whose `event` field names the span event, `references` to the parent.
 */
export async function readJaegerClassic(q: JaegerClassicQuery): Promise<SpanRecord[]> {
  const base = trimBase(q.url);
  const seen = new Set<string>();
  const results = await mapLimited(
    q.services,
    2,
    async (service) => {
      const params = new URLSearchParams({
        service,
        start: String(q.since.getTime() * 1000),
        end: String(q.until.getTime() * 1000),
        limit: String(q.limit ?? 1000),
      });
      const doc = (await getJson(`${base}/api/traces?${params}`)) as { data?: unknown };
      return list(doc.data).flatMap(spansOfClassicTrace);
    },
    q.progress,
    'jaeger: services searched',
  );
  return results.flat().filter((s) => {
    const key = `${s.traceId}/${s.spanId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The spans of one trace of Jaeger's UI model. */
export function spansOfClassicTrace(trace: unknown): SpanRecord[] {
  if (!isObject(trace)) return [];
  const processes = isObject(trace.processes) ? trace.processes : {};
  const out: SpanRecord[] = [];
  for (const s of list(trace.spans)) {
    if (!isObject(s) || typeof s.traceID !== 'string' || typeof s.spanID !== 'string') continue;
    const traceId = s.traceID.toLowerCase().padStart(32, '0');
    const parent = list(s.references).find((r): r is Json => isObject(r) && r.refType === 'CHILD_OF' && typeof r.spanID === 'string');
    const parentSpanId = (parent?.spanID as string | undefined) ?? (typeof s.parentSpanID === 'string' && s.parentSpanID !== '' ? s.parentSpanID : undefined);
    const startNs = BigInt(Math.trunc(Number(s.startTime ?? 0))) * 1000n;
    const process = isObject(s.process) ? s.process : isObject(processes[String(s.processID)]) ? (processes[String(s.processID)] as Json) : undefined;
    out.push({
      traceId,
      spanId: s.spanID.toLowerCase().padStart(16, '0'),
      ...(parentSpanId === undefined ? {} : { parentSpanId: parentSpanId.toLowerCase().padStart(16, '0') }),
      name: typeof s.operationName === 'string' ? s.operationName : '',
      startTimeUnixNano: startNs,
      endTimeUnixNano: startNs + BigInt(Math.trunc(Number(s.duration ?? 0))) * 1000n,
      attributes: readTags(s.tags),
      events: list(s.logs)
        .filter(isObject)
        .map((log) => {
          const fields = readTags(log.fields);
          const name = typeof fields.event === 'string' ? fields.event : '';
          delete fields.event;
          return { name, timeUnixNano: BigInt(Math.trunc(Number(log.timestamp ?? 0))) * 1000n, attributes: fields };
        }),
      ...(process !== undefined && typeof process.serviceName === 'string' ? { serviceName: process.serviceName } : {}),
    });
  }
  return out;
}

/** `[{ key, type, value }]` → a plain map; `int64` and `float64` values may come as strings. */
function readTags(tags: unknown): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const t of list(tags)) {
    if (!isObject(t) || typeof t.key !== 'string') continue;
    const v = t.value;
    if (t.type === 'int64' || t.type === 'float64') out[t.key] = Number(v);
    else if (t.type === 'bool') out[t.key] = v === true || v === 'true';
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[t.key] = v;
  }
  return out;
}
