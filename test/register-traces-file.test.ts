// COSTTRACE_TRACES_FILE: `node --import/--require @costtrace/register` also writes every span to a file, as
// the Collector's file exporter does, beside the OTLP export.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers } from './helpers/e2e';
import { parseTraces } from './helpers/otlp-receiver';
import type { ModuleSystem } from './helpers/scenario-runner';

const dir = mkdtempSync(join(tmpdir(), 'costtrace-traces-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['esm', 'cjs'] as ModuleSystem[])('COSTTRACE_TRACES_FILE, %s', (mode) => {
  const servers = useServers();
  const file = join(dir, `${mode}.jsonl`);
  const run = useRun(servers, { fixture: 'mixed', mode, tag: 'traces-file', scenarios: ['openai/chat-basic'], env: { COSTTRACE_TRACES_FILE: file } });

  it('writes the spans it exports, attributes intact, one OTLP JSON export request per line', () => {
    expectCleanExit(run());
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const fromFile = lines.flatMap((line) => parseTraces(JSON.parse(line)));
    const outcome = run().outcomes['openai/chat-basic']!;
    const exported = [...outcome.spans, outcome.root!];
    expect(fromFile.filter((s) => s.traceId === outcome.root!.traceId).sort(bySpanId)).toEqual(exported.sort(bySpanId));
    expect(outcome.spans.map((s) => s.attributes['gen_ai.usage.cost.amount'])).toEqual([expect.any(Number)]);
  });
});

describe.each(['esm', 'cjs'] as ModuleSystem[])('COSTTRACE_TRACES_FILE with the app\'s own tracer provider, %s', (mode) => {
  const servers = useServers();
  const file = join(dir, `own-provider-${mode}.jsonl`);
  const run = useRun(servers, {
    fixture: 'mixed',
    mode,
    tag: 'traces-file-own-provider',
    scenarios: ['openai/chat-basic'],
    preloadFirst: [{ esm: './own-provider.mjs', cjs: './own-provider.cjs' }],
    env: { COSTTRACE_TRACES_FILE: file, OTEL_METRICS_EXPORTER: 'none' },
  });

  it('writes no file, and says so once: the exporters are the app\'s', () => {
    expect([run().exitCode, run().signal]).toEqual([0, null]);
    expect(existsSync(file)).toBe(false);
    expect(run().stderr.split('\n').filter((l) => l.includes(file))).toEqual([
      `[costtrace] warn: costtrace: spans are not written to ${file} (COSTTRACE_TRACES_FILE / tracesFile): the exporters are those of the tracer provider registered before @costtrace/register; add a FileSpanExporter (from @costtrace/register/setup) to it`,
    ]);
  });
});

const bySpanId = (a: { spanId: string }, b: { spanId: string }) => (a.spanId < b.spanId ? -1 : 1);
