// A loopback stand-in for Jaeger v2's query API (api_v3) and Tempo's HTTP API, serving the spans of
// a span file shaped as each one writes them:
// - Jaeger (cmd/jaeger/internal/extension/jaegerquery/internal/apiv3/http_gateway.go): the
//   pdata JSON marshaler's OTLP (hex ids, numeric kind, int64 as strings) under `{"result": …}`;
//   404 with a JSON error when nothing matches; `/api/v3/services` as `{"services": […]}`.
// - Tempo (docs/sources/tempo/api_docs/_index.md, pkg/tempopb): gogo jsonpb of tempopb (base64
//   ids, enum names, int64 as strings); `/api/v2/traces/<id>` as `{"trace": {"resourceSpans": …}}`,
//   `/api/traces/<id>` as `{"batches": …}`; `/api/search` as `{"traces": [{"traceID": hex without
//   leading zeros, …}], "metrics": …}`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface StandIn {
  url: string;
  /** Every request's path and query, in order. */
  requests: string[];
  close(): Promise<void>;
}

interface TraceBatch {
  resource: Json;
  scope: Json;
  spans: Json[];
}

/** Spans of a span file by trace id, each with its resource and scope. */
function tracesOf(file: string): Map<string, TraceBatch[]> {
  const traces = new Map<string, TraceBatch[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    for (const rs of JSON.parse(line).resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          const list = traces.get(span.traceId) ?? [];
          list.push({ resource: rs.resource, scope: ss.scope, spans: [span] });
          traces.set(span.traceId, list);
        }
      }
    }
  }
  return traces;
}

const serviceOf = (b: TraceBatch): string => b.resource?.attributes?.find((a: Json) => a.key === 'service.name')?.value?.stringValue ?? '';
const startNanos = (batches: TraceBatch[]) => batches.reduce((m, b) => (BigInt(b.spans[0].startTimeUnixNano) < m ? BigInt(b.spans[0].startTimeUnixNano) : m), 2n ** 63n);

/** AnyValue with int64 as a string, as both Go marshalers write it. */
function goValue(v: Json): Json {
  if (v === null || typeof v !== 'object') return v;
  if ('intValue' in v) return { intValue: String(v.intValue) };
  if ('arrayValue' in v) return { arrayValue: { values: (v.arrayValue.values ?? []).map(goValue) } };
  return v;
}
const goAttrs = (attrs: Json[] | undefined) => (attrs ?? []).map((a) => ({ key: a.key, value: goValue(a.value) }));

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const b64 = (hex: string | undefined) => (hex ? Buffer.from(hex, 'hex').toString('base64') : undefined);

function jaegerSpan(s: Json): Json {
  return { ...s, attributes: goAttrs(s.attributes), events: (s.events ?? []).map((e: Json) => ({ ...e, attributes: goAttrs(e.attributes) })) };
}

function tempoSpan(s: Json): Json {
  const out: Json = {
    traceId: b64(s.traceId),
    spanId: b64(s.spanId),
    name: s.name,
    kind: KIND_NAMES[s.kind ?? 0],
    startTimeUnixNano: String(s.startTimeUnixNano),
    endTimeUnixNano: String(s.endTimeUnixNano),
    attributes: goAttrs(s.attributes),
    events: (s.events ?? []).map((e: Json) => ({ timeUnixNano: String(e.timeUnixNano), name: e.name, attributes: goAttrs(e.attributes) })),
    status: s.status?.code ? { code: STATUS_NAMES[s.status.code] } : {},
  };
  if (s.parentSpanId) out.parentSpanId = b64(s.parentSpanId);
  return out;
}

const resourceSpans = (batches: TraceBatch[], span: (s: Json) => Json) =>
  batches.map((b) => ({ resource: { attributes: goAttrs(b.resource?.attributes) }, scopeSpans: [{ scope: b.scope, spans: b.spans.map(span) }] }));

// Jaeger's UI model (internal/uimodel/model.go) as its OTLP → Jaeger translation writes it: typed
// tags, span kind and status as tags, events as logs whose `event` field is the name, microseconds.
function classicTag(key: string, v: Json): Json {
  if ('stringValue' in v) return { key, type: 'string', value: v.stringValue };
  if ('boolValue' in v) return { key, type: 'bool', value: v.boolValue };
  if ('intValue' in v) return { key, type: 'int64', value: Number(v.intValue) };
  if ('doubleValue' in v) return { key, type: 'float64', value: v.doubleValue };
  return { key, type: 'string', value: JSON.stringify(v) };
}
const classicTags = (attrs: Json[] | undefined) => (attrs ?? []).map((a) => classicTag(a.key, a.value));
const micros = (nanos: string | number) => Number(BigInt(nanos) / 1000n);
const KIND_TAGS = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

function classicTrace(traceId: string, batches: TraceBatch[]): Json {
  return {
    traceID: traceId,
    spans: batches.map((b) => {
      const s = b.spans[0];
      return {
        traceID: traceId,
        spanID: s.spanId,
        operationName: s.name,
        references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID: traceId, spanID: s.parentSpanId }] : [],
        startTime: micros(s.startTimeUnixNano),
        duration: micros(s.endTimeUnixNano) - micros(s.startTimeUnixNano),
        tags: [
          { key: 'otel.scope.name', type: 'string', value: b.scope?.name },
          ...classicTags(s.attributes),
          ...(s.kind ? [{ key: 'span.kind', type: 'string', value: KIND_TAGS[s.kind] }] : []),
        ],
        logs: (s.events ?? []).map((e: Json) => ({ timestamp: micros(e.timeUnixNano), fields: [{ key: 'event', type: 'string', value: e.name }, ...classicTags(e.attributes)] })),
        processID: 'p1',
        warnings: null,
      };
    }),
    processes: { p1: { serviceName: serviceOf(batches[0]!), tags: classicTags(batches[0]!.resource?.attributes.filter((a: Json) => a.key !== 'service.name')) } },
    warnings: null,
  };
}

export interface StandInOptions {
  /** Answer `/api/v2/traces/…` with Go's 404 page, as a Tempo older than the v2 endpoint does. */
  tempoWithoutV2?: boolean;
  /** A trace the search finds but whose read answers 404 (expired since). */
  tempoMissing?: string;
}

export async function startTraceApiStandIn(spanFile: string, options: StandInOptions = {}): Promise<StandIn> {
  const traces = tracesOf(spanFile);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push(`${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const q = url.searchParams;
    const inNanos = (batches: TraceBatch[], min: bigint, max: bigint) => {
      const t = startNanos(batches);
      return t >= min && t <= max;
    };
    if (url.pathname === '/api/v3/services') {
      return json(200, { services: [...new Set([...traces.values()].flat().map(serviceOf))].sort() });
    }
    if (url.pathname === '/api/v3/traces') {
      const min = BigInt(Date.parse(q.get('query.start_time_min') ?? '')) * 1_000_000n;
      const max = BigInt(Date.parse(q.get('query.start_time_max') ?? '')) * 1_000_000n;
      const service = q.get('query.service_name');
      const found = [...traces.values()].filter((b) => b.some((x) => serviceOf(x) === service) && inNanos(b, min, max)).slice(0, Number(q.get('query.num_traces') ?? 20));
      if (found.length === 0) return json(404, { error: { httpCode: 404, message: 'No traces found' } });
      return json(200, { result: { resourceSpans: found.flatMap((b) => resourceSpans(b, jaegerSpan)) } });
    }
    if (url.pathname === '/api/services') {
      const names = [...new Set([...traces.values()].flat().map(serviceOf))].sort();
      return json(200, { data: names, total: names.length, limit: 0, offset: 0, errors: null });
    }
    if (url.pathname === '/api/traces') {
      const min = BigInt(q.get('start') ?? '0') * 1000n;
      const max = BigInt(q.get('end') ?? '0') * 1000n;
      const service = q.get('service');
      const found = [...traces].filter(([, b]) => b.some((x) => serviceOf(x) === service) && inNanos(b, min, max)).slice(0, Number(q.get('limit') ?? 20));
      return json(200, { data: found.map(([id, b]) => classicTrace(id, b)), total: 0, limit: 0, offset: 0, errors: null });
    }
    if (url.pathname === '/api/search') {
      const min = BigInt(q.get('start') ?? '0') * 1_000_000_000n;
      const max = BigInt(q.get('end') ?? '0') * 1_000_000_000n;
      const hits = [...traces].filter(([, b]) => inNanos(b, min, max) && b.some((x) => x.spans[0].attributes?.some((a: Json) => a.key === 'costtrace.pricing.status')));
      return json(200, {
        traces: hits.slice(0, Number(q.get('limit') ?? 20)).map(([id, b]) => ({
          traceID: id.replace(/^0+/, ''),
          rootServiceName: serviceOf(b[0]!),
          rootTraceName: b.find((x) => !x.spans[0].parentSpanId)?.spans[0].name,
          startTimeUnixNano: String(startNanos(b)),
          durationMs: 1,
          spanSets: [{ spans: [], matched: 1 }],
        })),
        metrics: { inspectedBytes: '1', totalBlocks: 1, completedJobs: 1, totalJobs: 1 },
      });
    }
    const v2 = /^\/api\/v2\/traces\/([0-9a-f]+)$/.exec(url.pathname);
    if (v2 && options.tempoWithoutV2) return res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    const v1 = /^\/api\/traces\/([0-9a-f]+)$/.exec(url.pathname);
    const id = (v2 ?? v1)?.[1];
    if (id !== undefined) {
      const batches = id === options.tempoMissing ? undefined : traces.get(id.padStart(32, '0'));
      if (batches === undefined) return json(404, { error: 'trace not found' });
      const spans = resourceSpans(batches, tempoSpan);
      return json(200, v2 ? { trace: { resourceSpans: spans } } : { batches: spans });
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
