import { getJson, HttpError, mapLimited, trimBase, type Progress } from './http-json';
import { readJaegerClassic } from './jaeger-classic';
import { spansFromOtlpJson } from './otlp-json';
import type { SpanRecord } from './span-record';

export interface JaegerQuery {
  /** Base URL of Jaeger's query service (`http://localhost:16686`). */
  url: string;
  /** Services to search; every service `/api/v3/services` lists when none. */
  services?: string[];
  since: Date;
  until: Date;
  /** Traces per service at most (`query.num_traces`). @default 1000 */
  limit?: number;
  /** `v3` (api_v3, OTLP JSON) or `classic` (`/api/traces`, the UI's API). @default 'v3' */
  api?: 'v3' | 'classic';
  progress?: Progress;
}

/**
 * Reads spans from Jaeger v2's api_v3 over HTTP (`cmd/jaeger/internal/extension/jaegerquery/internal/apiv3/http_gateway.go`):
 * `GET /api/v3/traces?query.service_name=…&query.start_time_min=…&query.start_time_max=…&query.num_traces=…`
 * answers `{"result": TracesData}` (OTLP JSON: hex ids) with every span of each trace found, or
 * 404 when none. The snake_case names are the ones every Jaeger v2 accepts (2.19 added camelCase
 * and kept these as aliases). Jaeger's search needs a service; traces found under two services
 * are read once.
 */
export async function readJaeger(q: JaegerQuery): Promise<SpanRecord[]> {
  const base = trimBase(q.url);
  let services = q.services ?? [];
  if (services.length === 0) {
    // Both APIs list services: api_v3 as `{"services": […]}`, the classic one as `{"data": […]}`.
    const doc = (await getJson(`${base}${q.api === 'classic' ? '/api/services' : '/api/v3/services'}`)) as { services?: unknown; data?: unknown };
    const names = doc.services ?? doc.data;
    services = Array.isArray(names) ? names.filter((s): s is string => typeof s === 'string') : [];
  }
  if (q.api === 'classic') {
    const spans = await readJaegerClassic({ url: q.url, services, since: q.since, until: q.until, limit: q.limit, progress: q.progress });
    q.progress?.(`jaeger: ${new Set(spans.map((s) => s.traceId)).size} traces, ${spans.length} spans`);
    return spans;
  }
  const seen = new Set<string>();
  const out: SpanRecord[] = [];
  const results = await mapLimited(
    services,
    2,
    async (service) => {
      const params = new URLSearchParams({
        'query.service_name': service,
        'query.start_time_min': q.since.toISOString(),
        'query.start_time_max': q.until.toISOString(),
        'query.num_traces': String(q.limit ?? 1000),
      });
      try {
        const doc = (await getJson(`${base}/api/v3/traces?${params}`)) as { result?: unknown };
        return spansFromOtlpJson(doc.result);
      } catch (err) {
        if (err instanceof HttpError && err.status === 404) return [];
        throw err;
      }
    },
    q.progress,
    'jaeger: services searched',
  );
  for (const spans of results) {
    for (const span of spans) {
      const key = `${span.traceId}/${span.spanId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(span);
    }
  }
  q.progress?.(`jaeger: ${new Set(out.map((s) => s.traceId)).size} traces, ${out.length} spans`);
  return out;
}
