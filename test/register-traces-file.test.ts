// COSTTRACE_TRACES_FILE: `node --import/--require @costtrace/register` also writes every span to a file, as
// the Collector's file exporter does, beside the OTLP export.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const bySpanId = (a: { spanId: string }, b: { spanId: string }) => (a.spanId < b.spanId ? -1 : 1);
