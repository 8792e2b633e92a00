import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildReport, type TimeRange } from './build-report';
import { readJaeger } from './jaeger-source';
import { parseTime } from './parse-time';
import { renderCsv } from './render-csv';
import { renderHtml } from './render-html';
import { renderMarkdown, renderTable } from './render-text';
import { readSpanFile } from './span-file';
import type { SpanRecord } from './span-record';
import { readTempo } from './tempo-source';
import type { Report } from './types';
import { parseWhatIf } from './what-if';

/** What a command writes to: stdout text, stderr lines. */
export interface CliIo {
  out(text: string): void;
  err(line: string): void;
  /** The clock for `--since 7d` and API time ranges. @default () => new Date() */
  now?: () => Date;
}

export const REPORT_USAGE = `Usage: costtrace report [FILE...] [--jaeger URL [--service NAME]...] [--tempo URL [--traceql Q]] [options]

Sources (any mix):
  FILE                 span file of the Collector's file exporter (OTLP JSON lines, gzip ok)
  --jaeger URL         Jaeger query service; --service NAME (repeat; default: all);
                       --jaeger-api v3 (default, /api/v3) or classic (/api/traces, the UI's API)
  --tempo URL          Tempo HTTP API; --traceql Q (default: { span.costtrace.pricing.status != nil })
  --limit N            traces per search at most (default 1000)
Range (calls by start time; API sources default to the last 24h):
  --since T --until T  T: 2026-11-01, 2026-11-01T09:00:00Z, now, or 30m/24h/7d/2w ago
  --compare-since T --compare-until T   a baseline range to compare against
Analyses and output:
  --what-if AGENT=MODEL  reprice an agent's calls on another model (repeat, or comma-separated)
  --top N              top steps listed (default 10)
  --run ID             the run whose cost tree --html draws (default: the costliest)
  --format F           table (default), markdown, csv or json
  --html FILE          also write a self-contained HTML page with the run's cost tree
  --quiet              no progress on stderr
`;

/** `costtrace report …`: returns the exit code. */
export async function runReportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      jaeger: { type: 'string' },
      service: { type: 'string', multiple: true },
      'jaeger-api': { type: 'string', default: 'v3' },
      tempo: { type: 'string' },
      traceql: { type: 'string' },
      limit: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'compare-since': { type: 'string' },
      'compare-until': { type: 'string' },
      'what-if': { type: 'string', multiple: true },
      top: { type: 'string' },
      run: { type: 'string' },
      format: { type: 'string', default: 'table' },
      html: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(REPORT_USAGE);
    return 0;
  }
  const format = values.format!;
  if (!['table', 'markdown', 'csv', 'json'].includes(format)) throw new Error(`--format: one of table, markdown, csv, json; got "${format}"`);
  if (positionals.length === 0 && values.jaeger === undefined && values.tempo === undefined) {
    throw new Error('no spans to read: give a span file, --jaeger URL or --tempo URL (costtrace report --help)');
  }
  const now = io.now?.() ?? new Date();
  const time = (flag: string, v: string | undefined) => (v === undefined ? undefined : parseTime(v, now, flag));
  const range: TimeRange = { since: time('--since', values.since), until: time('--until', values.until) };
  const compareTo: TimeRange | undefined =
    values['compare-since'] === undefined && values['compare-until'] === undefined
      ? undefined
      : { since: time('--compare-since', values['compare-since']), until: time('--compare-until', values['compare-until']) };
  const positiveInt = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag}: a positive whole number, got "${v}"`);
    return n;
  };
  const limit = positiveInt('--limit', values.limit);
  const jaegerApi = values['jaeger-api'];
  if (jaegerApi !== 'v3' && jaegerApi !== 'classic') throw new Error(`--jaeger-api: v3 or classic, got "${jaegerApi}"`);
  const whatIf = parseWhatIf(values['what-if'] ?? []);
  const progress = values.quiet ? undefined : (line: string) => io.err(line);

  // API searches cover the union of both ranges, so one fetch serves a comparison too.
  const fetchSince = earliest([range.since, compareTo?.since]) ?? new Date(now.getTime() - 86_400_000);
  const fetchUntil = latest([range.until, compareTo?.until], compareTo !== undefined && range.until === undefined) ?? now;
  const spans: SpanRecord[] = [];
  const sources: string[] = [];
  for (const file of positionals) {
    const read = await readSpanFile(file);
    progress?.(`${file}: ${read.length} spans`);
    spans.push(...read);
    sources.push(file);
  }
  if (values.jaeger !== undefined) {
    spans.push(...(await readJaeger({ url: values.jaeger, api: jaegerApi, services: values.service, since: fetchSince, until: fetchUntil, limit, progress })));
    sources.push(values.jaeger);
  }
  if (values.tempo !== undefined) {
    spans.push(...(await readTempo({ url: values.tempo, traceql: values.traceql, since: fetchSince, until: fetchUntil, limit, progress })));
    sources.push(values.tempo);
  }

  const report = buildReport(spans, { sources, range, compareTo, whatIf, top: positiveInt('--top', values.top), run: values.run });
  if (values.html !== undefined) {
    await writeFile(values.html, renderHtml(report));
    progress?.(`wrote ${values.html}`);
  }
  io.out(render(report, format));
  return 0;
}

function render(report: Report, format: string): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'csv') return renderCsv(report);
  if (format === 'markdown') return renderMarkdown(report);
  return renderTable(report);
}

function earliest(dates: Array<Date | undefined>): Date | undefined {
  const set = dates.filter((d): d is Date => d !== undefined);
  return set.length === 0 ? undefined : new Date(Math.min(...set.map((d) => d.getTime())));
}

function latest(dates: Array<Date | undefined>, openEnded: boolean): Date | undefined {
  if (openEnded) return undefined;
  const set = dates.filter((d): d is Date => d !== undefined);
  return set.length === 0 ? undefined : new Date(Math.max(...set.map((d) => d.getTime())));
}
