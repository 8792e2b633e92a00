import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { costtrace, fleetFile, reportJson } from './helpers/run';

// The fleet (helpers/fleet-fixture.ts): four runs, prices per MTok in/out: opus-4-7 $5/$25,
// sonnet-4-5 $3/$15, haiku-4-5 $1/$5. Each figure below is written out there call by call.
let file: string;
let dir: string;
beforeAll(async () => {
  ({ file, dir } = await fleetFile());
});

const row = (name: string, costUsd: number, share: number, calls: number, inputTokens: number, outputTokens: number, runs: number, unpricedCalls = 0) => ({
  name,
  costUsd,
  share,
  calls,
  unpricedCalls,
  inputTokens,
  outputTokens,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  runs,
});

describe('costtrace report on a span file', () => {
  it('gives cost by agent with calls, tokens and share, summing to the fleet total', async () => {
    const r = await reportJson([file]);
    expect(r.totals).toEqual({
      costUsd: 24.25, // 7.85 + 5.85 + 4.10 + 6.45
      calls: 20,
      inputTokens: 2_771_000,
      outputTokens: 720_100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      runs: 4,
      unpricedCalls: 1,
      budgetStops: 0,
    });
    expect(r.agents).toEqual([
      row('researcher', 12.35, 0.509278350515, 5, 1_170_000, 260_000, 4), // 4.00 + 2.00 + 2.00 + 4.35
      row('writer', 5.4, 0.222680412371, 4, 600_000, 240_000, 4), // 4 × 1.35
      row('examples', 3.5, 0.144329896907, 2, 200_000, 100_000, 2), // 2 × 1.75
      row('planner', 2.4, 0.098969072164, 5, 401_000, 80_100, 4, 1), // 4 × 0.60, one unpriced call
      row('reviewer', 0.6, 0.024742268041, 4, 400_000, 40_000, 4), // 4 × 0.15
    ]);
    expect(r.concentration).toEqual({ agent: 'researcher', costUsd: 12.35, share: 0.509278350515 });
  });

  it('gives cost by run and P50/P95/P99 and max cost per run (nearest rank)', async () => {
    const r = await reportJson([file]);
    expect(r.runs.map((x) => [x.id, x.name, x.costUsd, x.calls, x.costliestAgent])).toEqual([
      ['run-1', 'nightly-research', 7.85, 6, 'researcher'],
      ['run-4', 'nightly-research', 6.45, 4, 'researcher'],
      ['run-2', 'nightly-research', 5.85, 5, 'researcher'],
      ['run-3', 'nightly-research', 4.1, 5, 'researcher'],
    ]);
    // Sorted 4.10, 5.85, 6.45, 7.85: P50 is the 2nd (ceil(0.5 × 4)), P95 and P99 the 4th.
    expect(r.costPerRun).toEqual({ runs: 4, p50: 5.85, p95: 7.85, p99: 7.85, max: 7.85, mean: 6.0625 });
  });

  it('gives cost by step and by model, and the top steps', async () => {
    const r = await reportJson([file, '--top', '3']);
    expect(r.topSteps.map((s) => [s.agent, s.name, s.costUsd, s.calls])).toEqual([
      ['researcher', 'search', 10.35, 4], // 2.00 + 2.00 + 2.00 + 4.35
      ['writer', 'draft', 5.4, 4],
      ['examples', 'examples', 3.5, 2],
    ]);
    expect(r.steps.map((s) => [s.agent, s.name, s.costUsd])).toContainEqual(['planner', 'triage', 0]);
    expect(r.models.map((m) => [m.model, m.provider, m.costUsd, m.calls, m.unpricedCalls])).toEqual([
      ['claude-opus-4-7', 'anthropic', 15.85, 7, 0], // researcher 12.35 + examples 3.50
      ['claude-sonnet-4-5', 'anthropic', 7.8, 8, 0], // planner 2.40 + writer 5.40
      ['claude-haiku-4-5', 'anthropic', 0.6, 4, 0],
      ['acme-local-7b', 'acme', 0, 1, 1],
    ]);
  });

  it('gives budget utilization and the unpriced calls', async () => {
    const r = await reportJson([file]);
    expect(r.budgets).toEqual([
      { scope: 'invoke_agent researcher', runId: 'run-4', agent: 'researcher', limitUsd: 4, spentUsd: 4.35, utilization: 1.0875, exceeded: true, warned: true, abortedCalls: 0, refusedCalls: 0 },
      { scope: 'invoke_workflow nightly-research', runId: 'run-2', limitUsd: 10, spentUsd: 5.85, utilization: 0.585, exceeded: false, warned: false, abortedCalls: 0, refusedCalls: 0 },
    ]);
    expect(r.unpriced).toEqual([
      { model: 'acme-local-7b', provider: 'acme', status: 'unpriced', calls: 1, reason: expect.stringContaining("provider 'acme' is not in the price catalog") },
    ]);
  });

  it('reprices an agent on another model from its recorded usage: examples opus-4-7 → haiku-4-5 is $3.50 → $0.70, the fleet $24.25 → $21.45', async () => {
    const r = await reportJson([file, '--what-if', 'examples=claude-haiku-4-5']);
    // Each examples call: 100K in × $1/M + 50K out × $5/M = $0.35 (was $1.75 at $5/$25).
    expect(r.whatIf).toEqual({
      agents: [{ name: 'examples', toModel: 'claude-haiku-4-5', calls: 2, repricedCalls: 2, fromCostUsd: 3.5, toCostUsd: 0.7, savedUsd: 2.8 }],
      fleet: { fromCostUsd: 24.25, toCostUsd: 21.45, savedUsd: 2.8 },
    });
  });

  it('takes only calls in --since/--until, and compares two ranges', async () => {
    const r = await reportJson([file, '--since', '2026-11-16', '--until', '2026-11-23', '--compare-since', '2026-11-09', '--compare-until', '2026-11-16']);
    expect(r.totals.costUsd).toBe(10.55); // run-3 4.10 + run-4 6.45
    expect(r.runs.map((x) => x.id)).toEqual(['run-4', 'run-3']);
    expect(r.comparison).toEqual({
      current: { since: '2026-11-16T00:00:00.000Z', until: '2026-11-23T00:00:00.000Z', costUsd: 10.55, calls: 9, runs: 2, costPerRun: { runs: 2, p50: 4.1, p95: 6.45, p99: 6.45, max: 6.45, mean: 5.275 } },
      baseline: { since: '2026-11-09T00:00:00.000Z', until: '2026-11-16T00:00:00.000Z', costUsd: 13.7, calls: 11, runs: 2, costPerRun: { runs: 2, p50: 5.85, p95: 7.85, p99: 7.85, max: 7.85, mean: 6.85 } },
      deltaUsd: -3.15,
      agents: [
        { name: 'planner', currentCostUsd: 1.2, baselineCostUsd: 1.2, deltaUsd: 0 },
        { name: 'reviewer', currentCostUsd: 0.3, baselineCostUsd: 0.3, deltaUsd: 0 },
        { name: 'researcher', currentCostUsd: 6.35, baselineCostUsd: 6, deltaUsd: 0.35 },
        { name: 'writer', currentCostUsd: 2.7, baselineCostUsd: 2.7, deltaUsd: 0 },
        { name: 'examples', currentCostUsd: 0, baselineCostUsd: 3.5, deltaUsd: -3.5 },
      ].sort((a, b) => b.deltaUsd - a.deltaUsd || a.name.localeCompare(b.name)),
    });
  });

  it('reads a gzip-compressed span file the same', async () => {
    const gz = join(dir, 'spans.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(file)));
    const plain = await reportJson([file]);
    const zipped = await reportJson([gz]);
    expect({ ...zipped, sources: [] }).toEqual({ ...plain, sources: [] });
  });

  it('draws the run cost tree: run → agents → steps → calls', async () => {
    const r = await reportJson([file, '--run', 'run-4']);
    const tree = r.costTree!;
    expect([tree.kind, tree.name, tree.costUsd, tree.calls]).toEqual(['run', 'nightly-research', 6.45, 4]);
    expect(tree.children.map((a) => [a.kind, a.name, a.costUsd])).toEqual([
      ['agent', 'researcher', 4.35],
      ['agent', 'writer', 1.35],
      ['agent', 'planner', 0.6],
      ['agent', 'reviewer', 0.15],
    ]);
    expect(tree.children[0]!.children[0]!.children[0]).toEqual({ kind: 'call', name: 'claude-opus-4-7', costUsd: 4.35, calls: 1, model: 'claude-opus-4-7', status: 'priced', children: [] });
  });

  it('prints the same figures as a terminal table, markdown and CSV', async () => {
    const table = await costtrace(['report', file, '--what-if', 'examples=claude-haiku-4-5']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^researcher\s+4\s+5\s+1,170,000\s+260,000\s+\$12\.35\s+50\.9%$/m);
    expect(table.out).toMatch(/^examples\s+claude-haiku-4-5\s+2\s+2\s+\$3\.50\s+\$0\.70\s+\$2\.80$/m);
    expect(table.out).toMatch(/^fleet\s+\$24\.25\s+\$21\.45\s+\$2\.80$/m);
    expect(table.out).toMatch(/^cost per run P50 \/ P95 \/ P99\s+\$5\.85 \/ \$7\.85 \/ \$7\.85$/m);
    const md = await costtrace(['report', file, '--format', 'markdown']);
    expect(md.out).toContain('| researcher | 4 | 5 | 1,170,000 | 260,000 | $12.35 | 50.9% |');
    const csv = await costtrace(['report', file, '--format', 'csv']);
    const lines = csv.out.split('\r\n');
    expect(lines[0]).toBe('section,name,agent,provider,run_name,calls,unpriced_calls,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,share');
    expect(lines).toContain('agent,examples,examples,,,2,0,200000,100000,0,0,3.5,0.144329896907');
    expect(lines).toContain('run,run-1,,,nightly-research,6,0,850000,220000,0,0,7.85,0.323711340206');
  });

  it('writes progress on stderr and fails clearly without a source or on a bad line', async () => {
    const ok = await costtrace(['report', file, '--format', 'json']);
    expect(ok.err).toEqual([expect.stringMatching(/spans\.jsonl: \d+ spans$/)]);
    expect(await costtrace(['report'])).toMatchObject({ code: 1, err: [expect.stringContaining('no spans to read')] });
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${readFileSync(file, 'utf8').split('\n')[0]}\nnot json\n`);
    expect(await costtrace(['report', bad])).toMatchObject({ code: 1, err: [expect.stringContaining('bad.jsonl:2: not a line of OTLP JSON')] });
  });
});
