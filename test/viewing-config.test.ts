import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import { DEFAULT_TRACEQL } from '@costtrace/cli';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { useServers, type ReceivedSpan } from './helpers/e2e';
import { freePort, PROMTOOL_BIN, skipReason } from './helpers/prometheus-server';
import { dashboardTargets, readmeQueries, viewingDir } from './helpers/viewing-docs';
import { runViewingService } from './helpers/viewing-service';
import { repoRoot } from './helpers/workspace';

// collector-config/: the files parse, name only components that exist, and every query in the
// README and the dashboard names only metrics, labels and span attributes costtrace really writes
// (read from a real run of an example service: its spans and its /metrics endpoint).

const file = (path: string): string => readFileSync(join(viewingDir, path), 'utf8');
const yamlFile = (path: string): any => parseYaml(file(path));

// Component types of otelcol-contrib (opentelemetry-collector-releases,
// distributions/otelcol-contrib/manifest.yaml) that these files use; `otlp_grpc` is the OTLP gRPC
// exporter's name since collector 0.144 (`otlp` is its deprecated alias).
const CONTRIB_COMPONENTS: Record<string, string[]> = {
  receivers: ['otlp'],
  processors: ['memory_limiter', 'batch'],
  exporters: ['otlp_grpc', 'otlp_http', 'prometheus', 'debug'],
  connectors: ['sum', 'forward'],
};

function checkCollector(config: any): void {
  for (const [kind, known] of Object.entries(CONTRIB_COMPONENTS)) {
    for (const id of Object.keys(config[kind] ?? {})) expect(known, `${kind} ${id}`).toContain(id.split('/')[0]);
  }
  const connectors = Object.keys(config.connectors ?? {});
  for (const [name, pipeline] of Object.entries<any>(config.service.pipelines)) {
    for (const id of pipeline.receivers) expect([...Object.keys(config.receivers), ...connectors], `${name} receiver ${id}`).toContain(id);
    for (const id of pipeline.processors ?? []) expect(Object.keys(config.processors), `${name} processor ${id}`).toContain(id);
    for (const id of pipeline.exporters) expect([...Object.keys(config.exporters), ...connectors], `${name} exporter ${id}`).toContain(id);
  }
  // A connector is an exporter of one pipeline and a receiver of another.
  for (const id of connectors) {
    const pipelines = Object.values<any>(config.service.pipelines);
    expect(pipelines.some((p) => p.exporters.includes(id)) && pipelines.some((p) => p.receivers.includes(id)), id).toBe(true);
  }
}

/** What `--config a --config b` gives: maps merged, lists replaced (the Collector's confmap). */
function merge(a: any, b: any): any {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return b;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? merge(a[k], v) : v;
  return out;
}

describe('collector-config files', () => {
  it('the Collector config and the sum connector snippet name only contrib components, wired', () => {
    const main = yamlFile('otel-collector.yaml');
    checkCollector(main);
    expect(main.service.pipelines.traces.exporters).toEqual(['otlp_grpc/jaeger', 'otlp_grpc/tempo']);
    const merged = merge(main, yamlFile('sum-connector.yaml'));
    checkCollector(merged);
    expect(merged.connectors.sum.spans['costtrace.collector.cost'].source_attribute).toBe('gen_ai.usage.cost.amount');
    expect(merged.service.pipelines.traces.exporters).toEqual(['otlp_grpc/jaeger', 'otlp_grpc/tempo', 'sum']);
  });

  it('the compose file starts the five services from files that exist', () => {
    const compose = yamlFile('docker-compose.yaml');
    expect(Object.keys(compose.services).sort()).toEqual(['collector', 'grafana', 'jaeger', 'prometheus', 'tempo']);
    const image = (s: string): string => compose.services[s].image;
    expect(image('collector')).toMatch(/^otel\/opentelemetry-collector-contrib:0\.(1[5-9][0-9]|14[4-9])\./);
    expect(image('jaeger')).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(image('tempo')).toMatch(/^grafana\/tempo:2\./);
    for (const service of Object.values<any>(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = String(volume).split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(join(viewingDir, source)), source).toBe(true);
      }
    }
    // Each service reads the file mounted where its command looks.
    expect(compose.services.collector.volumes[0]).toMatch(/^\.\/otel-collector\.yaml:\/etc\/otelcol-contrib\/config\.yaml/);
    expect(compose.services.collector.command).toEqual(['--config=/etc/otelcol-contrib/config.yaml']);
    expect(compose.services.tempo.command).toEqual(['-config.file=/etc/tempo.yaml']);
    expect(compose.services.tempo.volumes[0]).toMatch(/^\.\/tempo\.yaml:\/etc\/tempo\.yaml/);
    const rulesMount = compose.services.prometheus.volumes.find((v: string) => v.includes('costtrace-rules.yml'));
    const prometheusConfig = yamlFile('prometheus/prometheus.yml');
    expect(rulesMount.split(':')[1]).toBe(`/etc/prometheus/${prometheusConfig.rule_files[0]}`);
    const dashboards = yamlFile('grafana/provisioning/dashboards/dashboards.yaml');
    expect(compose.services.grafana.volumes).toContain(`./grafana/dashboards:${dashboards.providers[0].options.path}:ro`);
    // The Collector's hosts are the compose services.
    const collector = yamlFile('otel-collector.yaml');
    expect(collector.exporters['otlp_grpc/jaeger'].endpoint).toBe('jaeger:4317');
    expect(collector.exporters['otlp_grpc/tempo'].endpoint).toBe('tempo:4317');
    expect(prometheusConfig.scrape_configs[0].static_configs[0].targets).toEqual([`collector:${collector.exporters.prometheus.endpoint.split(':')[1]}`]);
  });

  it('Tempo runs TraceQL metrics over every span for the last day', () => {
    const tempo = yamlFile('tempo.yaml');
    expect(tempo.metrics_generator.processor.local_blocks.filter_server_spans).toBe(false);
    expect(tempo.overrides.defaults.metrics_generator.processors).toContain('local-blocks');
    expect(tempo.metrics_generator.traces_storage.path).toEqual(expect.any(String));
    expect(tempo.query_frontend.metrics.max_duration).toBe('24h');
    expect(tempo.distributor.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
  });

  it('Grafana provisions every data source the dashboard uses; the dashboard parses', () => {
    const sources = yamlFile('grafana/provisioning/datasources/datasources.yaml').datasources;
    expect(sources.map((d: any) => [d.uid, d.type, d.url])).toEqual([
      ['prometheus', 'prometheus', 'http://prometheus:9090'],
      ['tempo', 'tempo', 'http://tempo:3200'],
      ['jaeger', 'jaeger', 'http://jaeger:16686'],
    ]);
    const targets = dashboardTargets();
    expect(targets.length).toBeGreaterThan(10);
    for (const { panel, target } of targets) {
      expect(sources.map((d: any) => `${d.type}/${d.uid}`), panel).toContain(`${target.datasource.type}/${target.datasource.uid}`);
    }
  });

  const promtoolSkip = skipReason(PROMTOOL_BIN, 'prometheus');
  it.skipIf(promtoolSkip !== undefined)(`promtool accepts the rules and the Prometheus config${promtoolSkip ? ` (skipped: ${promtoolSkip})` : ''}`, () => {
    const rules = execFileSync(PROMTOOL_BIN, ['check', 'rules', join(viewingDir, 'prometheus/costtrace-rules.yml')], { encoding: 'utf8' });
    expect(rules).toContain('SUCCESS: 2 rules found');
    const config = execFileSync(PROMTOOL_BIN, ['check', 'config', join(viewingDir, 'prometheus/prometheus.yml')], { encoding: 'utf8' });
    expect(config).toContain('SUCCESS: 2 rules found');
    expect(config).toMatch(/is valid prometheus config file syntax/);
  });
});

/** Positions of the error nodes Grafana's TraceQL grammar finds in `query` (none: it parses). */
function traceqlErrors(query: string): number[] {
  const errors: number[] = [];
  traceqlParser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
    },
  });
  return errors;
}

const ATTRIBUTE = /\bspan\.([a-z_][a-z0-9_.]*[a-z0-9_])/g;

type Condition = { attr: string; op: string; value: string };

/**
 * A TraceQL query's spansets before its first pipe (`{a} >> {b}`: b's spans under a's) with their
 * conditions, and the attributes the rest of the pipeline reads (of the last spanset's spans).
 */
function analyse(query: string): { spansets: Condition[][]; reads: string[] } {
  // A search with no pipeline (`{ … }` alone) is all head.
  const found = query.search(/\}\s*\|/);
  const pipe = found < 0 ? query.length - 1 : found;
  const head = query.slice(0, pipe + 1);
  const spansets = head.split('>>').map((part) =>
    [...part.matchAll(/span\.([a-z0-9_.]+)\s*(=~|!=|>=|<=|=|>|<)\s*("[^"]*"|[0-9.]+|nil|true|false)/g)].map((m) => ({ attr: m[1]!, op: m[2]!, value: m[3]! })),
  );
  const pipeline = query.slice(pipe + 1);
  const reads = [...pipeline.matchAll(ATTRIBUTE)].map((m) => m[1]!);
  if (/by \(name\)/.test(pipeline)) reads.push('(name)');
  return { spansets, reads };
}

function matches(span: ReceivedSpan, c: { attr: string; op: string; value: string }): boolean {
  const v = span.attributes[c.attr];
  if (v === undefined) return c.op === '=' && c.value === 'nil';
  if (c.attr === 'costtrace.run.id') return true; // the README's example id
  const literal = c.value.startsWith('"') ? c.value.slice(1, -1) : Number(c.value);
  switch (c.op) {
    case '=':
      return v === literal;
    case '!=':
      return c.value === 'nil' || v !== literal;
    case '=~':
      return new RegExp(`^(?:${String(literal)})$`).test(String(v));
    case '>':
      return (v as number) > (literal as number);
    case '>=':
      return (v as number) >= (literal as number);
    case '<':
      return (v as number) < (literal as number);
    default:
      return (v as number) <= (literal as number);
  }
}

describe('queries against what a real run writes', () => {
  const servers = useServers();
  let spans: ReceivedSpan[];
  const series = new Map<string, Set<string>>();

  beforeAll(async () => {
    let metricsText = '';
    const metricsPort = await freePort();
    const { run } = await runViewingService(servers, {
      metricsPort,
      afterB: async () => {
        metricsText = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      },
    });
    spans = run.outcomes['viewing/service']!.spans;
    for (const line of metricsText.split('\n')) {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? /.exec(line);
      if (!m) continue;
      const labels = series.get(m[1]!) ?? new Set<string>();
      for (const pair of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(pair[1]!);
      series.set(m[1]!, labels);
    }
  }, 90_000);

  const traceql = (): Array<[string, string]> => [
    ...readmeQueries('TraceQL').map((q): [string, string] => ['README', q]),
    ...dashboardTargets()
      .filter(({ target }) => target.datasource.type === 'tempo')
      .map(({ panel, target }): [string, string] => [panel, target.query]),
    ['costtrace report --tempo (its default search)', DEFAULT_TRACEQL],
  ];

  /** The `--traceql '…'` examples of the cli's README (searches for `costtrace report --tempo`). */
  const cliReadmeQueries = (): string[] =>
    [...readFileSync(join(repoRoot, 'packages/cli/README.md'), 'utf8').matchAll(/--traceql '([^']+)'/g)].map((m) => m[1]!);

  it('the old README query is what the grammar rejects (an aggregate in search needs a comparison)', () => {
    expect(traceqlErrors('{ span.gen_ai.agent.name = "researcher" } | sum(span.gen_ai.usage.cost.amount)')).not.toEqual([]);
  });

  it('every TraceQL query of the README and the dashboard parses', () => {
    const queries = traceql();
    expect(queries.length).toBeGreaterThanOrEqual(15);
    for (const [where, q] of queries) expect(traceqlErrors(q), `${where}: ${q}`).toEqual([]);
    expect(cliReadmeQueries().length).toBeGreaterThan(0);
    for (const q of cliReadmeQueries()) expect(traceqlErrors(q), `packages/cli/README.md: ${q}`).toEqual([]);
  });

  it('every TraceQL query finds a span that matches its filter and carries every attribute it reads', () => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const under = (s: ReceivedSpan, conditions: Condition[]): boolean => {
      for (let p = s.parentSpanId ? byId.get(s.parentSpanId) : undefined; p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) {
        if (conditions.every((c) => matches(p!, c))) return true;
      }
      return false;
    };
    for (const [where, q] of traceql()) {
      const { spansets, reads } = analyse(q);
      const last = spansets[spansets.length - 1]!;
      expect(last.length, `${where}: ${q}`).toBeGreaterThan(0);
      // Each spanset's spans lie under a span of the spanset before it.
      let found = spans.filter((s) => spansets[0]!.every((c) => matches(s, c)));
      for (const conditions of spansets.slice(1)) {
        const parents = spansets[spansets.indexOf(conditions) - 1]!;
        found = spans.filter((s) => conditions.every((c) => matches(s, c)) && under(s, parents));
      }
      expect(found.length, `${where}: no span matches ${q}`).toBeGreaterThan(0);
      // Tempo groups and selects by attributes of the span it matched.
      const carrying = found.filter((s) => reads.every((a) => a === '(name)' || s.attributes[a] !== undefined));
      expect(carrying.length, `${where}: no matching span carries ${reads.join(', ')} (${q})`).toBeGreaterThan(0);
    }
  });

  it('every Jaeger tag search of the README finds a span (Jaeger matches tags exactly)', () => {
    const searches = file('README.md')
      .split('\n')
      .filter((l) => l.startsWith('- Jaeger:'))
      .flatMap((l) => [...l.matchAll(/`([a-z_.]+)=([^`]+)`/g)].map((m) => [m[1]!, m[2]!] as const));
    expect(searches.length).toBeGreaterThanOrEqual(5);
    for (const [key, value] of searches) {
      const found = spans.filter((s) => s.attributes[key] !== undefined && (key === 'costtrace.run.id' || String(s.attributes[key]) === value));
      expect(found.length, `${key}=${value}`).toBeGreaterThan(0);
    }
  });

  it('every PromQL query of the dashboard, the alert rules and the README names only series and labels the service serves', () => {
    const rules = yamlFile('prometheus/costtrace-rules.yml').groups.flatMap((g: any) => g.rules.map((r: any) => String(r.expr)));
    const queries = [
      ...dashboardTargets()
        .filter(({ target }) => target.datasource.type === 'prometheus')
        .map(({ target }) => String(target.expr)),
      ...rules,
      ...readmeQueries('PromQL'),
    ];
    expect(queries.length).toBeGreaterThan(15);
    for (const expr of queries) {
      const labels = [...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()));
      const names = [...expr.replace(/by \([^)]*\)/g, '').matchAll(/\b(costtrace_[a-z_]+)/g)].map((m) => m[1]!);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) {
        expect(series.has(name), `${name} in ${expr}`).toBe(true);
        for (const label of labels) expect([...series.get(name)!], `${label} on ${name}`).toContain(label);
      }
    }
  });
});
