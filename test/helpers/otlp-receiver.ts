import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A span as received over OTLP/HTTP JSON, with attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  scope: string;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code: number; message?: string };
  resource: Record<string, unknown>;
}

/** One data point of a metric as received over OTLP/HTTP JSON (sums and gauges: `value`; histograms: `count`, `sum`). */
export interface ReceivedMetricPoint {
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  value?: number;
  count?: number;
  sum?: number;
}

/** A loopback OTLP/HTTP receiver for the JSON protocol (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`). */
export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  /** Each /v1/traces request as one line of OTLP JSON, as the Collector's `file` exporter writes it. */
  traceLines: string[];
  /** Every metric data point received on /v1/metrics, in arrival order. */
  metrics: ReceivedMetricPoint[];
  requests: number;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const traceLines: string[] = [];
  const metrics: ReceivedMetricPoint[] = [];
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    void readBody(req).then(
      (body) => {
        state.requests++;
        if (req.url === '/v1/traces') {
          const doc = JSON.parse(body.toString('utf8'));
          traceLines.push(JSON.stringify(doc));
          spans.push(...parseTraces(doc));
        }
        if (req.url === '/v1/metrics') metrics.push(...parseMetrics(JSON.parse(body.toString('utf8'))));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    traceLines,
    metrics,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number | string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
};
type KeyValue = { key: string; value: AnyValue };

function value(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  if (v.kvlistValue) return attributes(v.kvlistValue.values);
  return undefined;
}

function attributes(list: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = value(kv.value);
  return out;
}

/** The spans of one OTLP JSON `ExportTraceServiceRequest`, flattened. */
export function parseTraces(payload: any): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of payload.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          name: s.name,
          kind: s.kind,
          scope: ss.scope?.name ?? '',
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e: any) => ({ name: e.name, attributes: attributes(e.attributes) })),
          status: { code: s.status?.code ?? 0, ...(s.status?.message ? { message: s.status.message } : {}) },
          resource,
        });
      }
    }
  }
  return out;
}

function parseMetrics(payload: any): ReceivedMetricPoint[] {
  const out: ReceivedMetricPoint[] = [];
  for (const rm of payload.resourceMetrics ?? []) {
    const resource = attributes(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const base = { name: m.name, scope: sm.scope?.name ?? '', resource };
        for (const p of m.sum?.dataPoints ?? m.gauge?.dataPoints ?? []) {
          out.push({ ...base, attributes: attributes(p.attributes), value: Number(p.asInt ?? p.asDouble ?? 0) });
        }
        for (const p of m.histogram?.dataPoints ?? []) {
          out.push({ ...base, attributes: attributes(p.attributes), count: Number(p.count ?? 0), sum: Number(p.sum ?? 0) });
        }
      }
    }
  }
  return out;
}
