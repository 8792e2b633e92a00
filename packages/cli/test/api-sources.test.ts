import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costtrace, fleetFile, reportJson } from './helpers/run';
import { startTraceApiStandIn, type StandIn } from './helpers/trace-api-stand-in';
import type { Report } from '../src/index';

// The same spans, read back through a stand-in serving Jaeger's and Tempo's API responses (shaped
// as their source writes them: see helpers/trace-api-stand-in.ts), give the same report as the file.
let file: string;
let fromFile: Report;
let api: StandIn;
const range = ['--since', '2026-11-01', '--until', '2026-11-29', '--what-if', 'examples=claude-haiku-4-5', '--quiet'];
const sameAs = (r: Report) => ({ ...r, sources: [] });

beforeAll(async () => {
  ({ file } = await fleetFile());
  fromFile = await reportJson([file, ...range]);
  api = await startTraceApiStandIn(file);
});
afterAll(async () => {
  await api?.close();
});

describe('costtrace report from trace backends', () => {
  it('gives the span file\'s report from Jaeger v2\'s api_v3, searching every service it lists', async () => {
    api.requests.length = 0;
    const r = await reportJson(['--jaeger', api.url, ...range]);
    expect(sameAs(r)).toEqual(sameAs(fromFile));
    expect(r.totals.costUsd).toBe(24.25);
    expect(r.sources).toEqual([api.url]);
    expect(api.requests).toEqual([
      '/api/v3/services',
      '/api/v3/traces?query.service_name=research-agents&query.start_time_min=2026-11-01T00%3A00%3A00.000Z&query.start_time_max=2026-11-29T00%3A00%3A00.000Z&query.num_traces=1000',
    ]);
  });

  it('gives the span file\'s report from Jaeger\'s classic /api/traces (its UI\'s API)', async () => {
    api.requests.length = 0;
    const r = await reportJson(['--jaeger', api.url, '--jaeger-api', 'classic', ...range]);
    expect(sameAs(r)).toEqual(sameAs(fromFile));
    const start = Date.parse('2026-11-01T00:00:00Z') * 1000;
    const end = Date.parse('2026-11-29T00:00:00Z') * 1000;
    expect(api.requests).toEqual(['/api/services', `/api/traces?service=research-agents&start=${start}&end=${end}&limit=1000`]);
  });

  it('gives the span file\'s report from Tempo: a TraceQL search, then each trace by id (v2)', async () => {
    api.requests.length = 0;
    const r = await reportJson(['--tempo', api.url, ...range]);
    expect(sameAs(r)).toEqual(sameAs(fromFile));
    const start = Date.parse('2026-11-01T00:00:00Z') / 1000;
    const end = Date.parse('2026-11-29T00:00:00Z') / 1000;
    expect(api.requests[0]).toBe(`/api/search?q=%7B+span.costtrace.pricing.status+%21%3D+nil+%7D&start=${start}&end=${end}&limit=1000&spss=1`);
    expect(api.requests.slice(1).sort()).toEqual(
      [...new Set(fromFile.runs.map((x) => x.traceId))].map((id) => `/api/v2/traces/${id}?start=${start}&end=${end}`).sort(),
    );
  });

  it('falls back to /api/traces/<id> on a Tempo without the v2 endpoint', async () => {
    const old = await startTraceApiStandIn(file, { tempoWithoutV2: true });
    try {
      const r = await reportJson(['--tempo', old.url, ...range]);
      expect(sameAs(r)).toEqual(sameAs(fromFile));
      expect(old.requests.filter((p) => p.startsWith('/api/traces/'))).toHaveLength(4);
    } finally {
      await old.close();
    }
  });

  it('leaves out a trace the search found but that is gone when read, and says so', async () => {
    const gone = await startTraceApiStandIn(file, { tempoMissing: fromFile.runs.find((x) => x.id === 'run-3')!.traceId });
    try {
      const run = await costtrace(['report', '--tempo', gone.url, '--since', '2026-11-01', '--until', '2026-11-29', '--format', 'json']);
      expect(run.code).toBe(0);
      expect((JSON.parse(run.out) as Report).totals.costUsd).toBe(20.15); // 24.25 − run-3's 4.10
      expect(run.err).toContainEqual(expect.stringMatching(/^tempo: trace [0-9a-f]{32} not found; left out$/));
    } finally {
      await gone.close();
    }
  });

  it('reports fetch progress on stderr', async () => {
    const run = await costtrace(['report', '--tempo', api.url, '--since', '2026-11-01', '--until', '2026-11-29', '--format', 'json']);
    expect(run.err).toEqual(['tempo: 4 traces found', 'tempo: traces read: 1/4', 'tempo: traces read: 2/4', 'tempo: traces read: 3/4', 'tempo: traces read: 4/4']);
  });

  it('takes the last 24 hours from an API by default, and says what failed', async () => {
    api.requests.length = 0;
    const r = await reportJson(['--jaeger', api.url, '--service', 'research-agents', '--quiet']);
    expect(r.totals.calls).toBe(0);
    expect(api.requests).toEqual([
      '/api/v3/traces?query.service_name=research-agents&query.start_time_min=2026-11-28T12%3A00%3A00.000Z&query.start_time_max=2026-11-29T12%3A00%3A00.000Z&query.num_traces=1000',
    ]);
    const failed = await costtrace(['report', '--tempo', `${api.url}/nowhere`, '--quiet']);
    expect(failed.code).toBe(1);
    expect(failed.err).toEqual([expect.stringMatching(/^costtrace report: GET http:\/\/127\.0\.0\.1:\d+\/nowhere\/api\/search\?.*: HTTP 404: 404 page not found/)]);
  });
});
