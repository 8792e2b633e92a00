import { getJson, HttpError, mapLimited, trimBase, type Progress } from './http-json';
import { idToHex, spansFromOtlpJson } from './otlp-json';
import type { SpanRecord } from './span-record';

/** Every trace with a span costtrace priced or left unpriced. */
export const DEFAULT_TRACEQL = '{ span.costtrace.pricing.status != nil }';

export interface TempoQuery {
  /** Base URL of Tempo's HTTP API (`http://localhost:3200`). */
  url: string;
  /** The TraceQL search. @default {@link DEFAULT_TRACEQL} */
  traceql?: string;
  since: Date;
  until: Date;
  /** Traces at most (`limit`). @default 1000 */
  limit?: number;
  progress?: Progress;
}

/**
 * Reads spans from Tempo's HTTP API (docs/sources/tempo/api_docs/_index.md): a TraceQL search,
 * `GET /api/search?q=…&start=…&end=…&limit=…` (Unix seconds) answering `{"traces":[{"traceID":…}]}`,
 * then each trace whole with `GET /api/v2/traces/<id>?start=…&end=…` (`{"trace":{"resourceSpans":…}}`),
 * falling back to `/api/traces/<id>` (`{"batches":…}`) on a Tempo without the v2 endpoint. Tempo
 * writes protobuf JSON: base64 ids, enum names, int64 as strings.
 */
export async function readTempo(q: TempoQuery): Promise<SpanRecord[]> {
  const base = trimBase(q.url);
  const start = String(Math.floor(q.since.getTime() / 1000));
  const end = String(Math.ceil(q.until.getTime() / 1000));
  const search = new URLSearchParams({ q: q.traceql ?? DEFAULT_TRACEQL, start, end, limit: String(q.limit ?? 1000), spss: '1' });
  const found = (await getJson(`${base}/api/search?${search}`)) as { traces?: Array<{ traceID?: unknown }> };
  const ids = [...new Set((found.traces ?? []).map((t) => idToHex(normalizeTempoId(t.traceID))).filter((id): id is string => id !== undefined))];
  q.progress?.(`tempo: ${ids.length} traces found`);
  let v2 = true;
  const range = new URLSearchParams({ start, end });
  const traces = await mapLimited(
    ids,
    4,
    async (id) => {
      try {
        if (v2) {
          try {
            const doc = (await getJson(`${base}/api/v2/traces/${id}?${range}`)) as { trace?: unknown };
            return spansFromOtlpJson(doc.trace);
          } catch (err) {
            // Go's mux answers a route it does not have with a plain-text 404 page.
            if (!(err instanceof HttpError && err.status === 404 && /404 page not found/i.test(err.message))) throw err;
            v2 = false;
          }
        }
        return spansFromOtlpJson(await getJson(`${base}/api/traces/${id}?${range}`));
      } catch (err) {
        // A trace found by the search but gone since (retention, a compaction): left out, said once.
        if (!(err instanceof HttpError && err.status === 404)) throw err;
        q.progress?.(`tempo: trace ${id} not found; left out`);
        return [];
      }
    },
    q.progress,
    'tempo: traces read',
  );
  return traces.flat();
}

/** Tempo's search writes trace ids as hex with leading zeros trimmed. */
function normalizeTempoId(id: unknown): unknown {
  return typeof id === 'string' && /^[0-9a-fA-F]{1,32}$/.test(id) ? id.padStart(32, '0') : id;
}
