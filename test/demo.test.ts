// `pnpm demo` out of process, against the built packages: the cost tree it prints, and the spans file
// it writes, read back here on their own (not with the demo's code).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraces, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './helpers/otlp-receiver';
import { repoRoot } from './helpers/workspace';

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  file: string;
}

function runDemo(file: string, env: Record<string, string>): Promise<DemoRun> {
  const childEnv: Record<string, string | undefined> = { ...process.env, COSTTRACE_TRACES_FILE: file, ...env };
  for (const name of Object.keys(childEnv)) if (name.startsWith('OTEL_') && !(name in env)) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['examples/multi-agent/index.mjs'], { cwd: repoRoot, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, file }));
  });
}

/** Every span in an OTLP JSON lines file; each line must parse as one export request. */
function readSpansFile(path: string): ReceivedSpan[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .flatMap((line) => {
      const request = JSON.parse(line);
      expect(Object.keys(request)).toEqual(['resourceSpans']);
      return parseTraces(request);
    });
}

const pico = (usd: unknown): bigint => BigInt(Math.round((usd as number) * 1e12));
const sumPico = (values: unknown[]): bigint => values.reduce<bigint>((s, v) => s + pico(v), 0n);

const EXPECTED_TREE = `
                     model              calls  input tok  output tok       cost    share
run research-report                        10     50,113      14,026  $0.219542  100.00%  budget $1, 22.0% used
├─ planner                                  1      2,400         900  $0.034500   15.71%
│  └─ plan                                  1      2,400         900  $0.034500   15.71%
│     └─ call        claude-opus-4-7        1      2,400         900  $0.034500   15.71%
├─ researcher ×3                            7     24,713       9,226  $0.091542   41.69%
│  ├─ #1                                    2      9,000       1,900  $0.020666    9.41%  budget $0.05
│  │  ├─ search                             1      6,000         700  $0.001166    0.53%
│  │  │  └─ call     gpt-4o-mini            1      6,000         700  $0.001166    0.53%
│  │  └─ summarise                          1      3,000       1,200  $0.019500    8.88%
│  │     └─ call     gpt-4o                 1      3,000       1,200  $0.019500    8.88%
│  ├─ #2                                    3      9,000       1,900  $0.020666    9.41%  budget $0.05
│  │  ├─ search                             2      6,000         700  $0.001166    0.53%
│  │  │  ├─ call     gpt-4o-mini            1          0           0  $0.000000    0.00%  ✗ RateLimitError, no usage; the app retried
│  │  │  └─ call     gpt-4o-mini            1      6,000         700  $0.001166    0.53%
│  │  └─ summarise                          1      3,000       1,200  $0.019500    8.88%
│  │     └─ call     gpt-4o                 1      3,000       1,200  $0.019500    8.88%
│  └─ #3                                    2      6,713       5,426  $0.050209   22.86%  ⛔ budget $0.05 reached (spent $0.050209): 1 call stopped, 0 refused
│     ├─ search                             1      6,000         700  $0.001166    0.53%
│     │  └─ call     gpt-4o-mini            1      6,000         700  $0.001166    0.53%
│     └─ summarise                          1        713       4,726  $0.049043   22.33%
│        └─ call     gpt-4o                 1        713       4,726  $0.049043   22.33%  ⛔ stopped by its agent's budget (tokens counted as they streamed)
├─ writer                                   1     14,000       3,200  $0.069900   31.83%
│  └─ draft                                 1     14,000       3,200  $0.069900   31.83%  ◀ most expensive step
│     └─ call        claude-sonnet-4-6      1     14,000       3,200  $0.069900   31.83%
└─ reviewer                                 1      9,000         700  $0.023600   10.74%
   └─ review                                1      9,000         700  $0.023600   10.74%
      └─ call        gpt-4.1                1      9,000         700  $0.023600   10.74%

Per agent: planner $0.034500 + researcher $0.091542 + writer $0.069900 + reviewer $0.023600 = $0.219542 = run total ✓
`.slice(1);

describe('pnpm demo', () => {
  let dir: string;
  let receiver: OtlpReceiver;
  let offline: DemoRun;
  let online: DemoRun;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'costtrace-demo-test-'));
    receiver = await startOtlpReceiver();
    [offline, online] = await Promise.all([
      runDemo(join(dir, 'offline.jsonl'), {}),
      runDemo(join(dir, 'online.jsonl'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is what the `demo` script runs, after building the packages\' JavaScript, and prints the tree the README shows', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    // Type declarations are most of a build's time and the demo does not need them: it builds the
    // packages as `pnpm build` does, without them (and leaves any already built in place).
    expect(pkg.scripts.demo).toBe('pnpm -r --filter "./packages/*" build --no-dts --no-clean --silent && node examples/multi-agent/index.mjs');
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(`\`\`\`text\n${EXPECTED_TREE}\`\`\`\n`);
  });

  it('prints the run\'s cost tree, per-agent costs summing to the run total, and where the spans are', () => {
    expect([offline.code, offline.stderr]).toEqual([0, '']);
    const traceId = /\(trace ([0-9a-f]{32});/.exec(offline.stdout)?.[1];
    expect(offline.stdout).toBe(
      `${EXPECTED_TREE}\n` +
        'Researcher budgets: $0.05 each. The fake provider answered 10 requests, 1 with an error.\n' +
        `Spans: ${offline.file} (trace ${traceId}; OTLP JSON, one export request per line, as the Collector's file exporter writes it)\n` +
        `Read them with: costtrace report ${offline.file}\n`,
    );
  });

  it('writes spans as the Collector file exporter does, whose costs add up exactly: calls → agents → run', () => {
    const spans = readSpansFile(offline.file);
    const byOp = (op: string) => spans.filter((s) => s.attributes['gen_ai.operation.name'] === op);
    const [run] = byOp('invoke_workflow');
    expect(byOp('invoke_workflow')).toHaveLength(1);
    expect(run!.attributes['costtrace.subtree.cost_usd']).toBe(0.2195417);
    const agents = byOp('invoke_agent');
    expect(agents.map((a) => a.attributes['gen_ai.agent.name']).sort()).toEqual(['planner', 'researcher', 'researcher', 'researcher', 'reviewer', 'writer']);
    expect(agents.every((a) => a.parentSpanId === run!.spanId)).toBe(true);
    expect(sumPico(agents.map((a) => a.attributes['costtrace.subtree.cost_usd']))).toBe(pico(0.2195417));
    const calls = spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);
    expect(sumPico(calls.map((c) => c.attributes['gen_ai.usage.cost.amount'] ?? 0))).toBe(pico(0.2195417));
    const byRole = (name: string) => sumPico(agents.filter((a) => a.attributes['gen_ai.agent.name'] === name).map((a) => a.attributes['costtrace.subtree.cost_usd']));
    // By hand from the price list: claude-opus-4-7 $5/$25 per Mtok in/out; claude-sonnet-4-6 $3/$15 (cache reads $0.30,
    // 5-minute cache writes $3.75); gpt-4.1 $2/$8.
    expect(byRole('planner')).toBe(2_400n * 5_000_000n + 900n * 25_000_000n);
    expect(byRole('writer')).toBe(4_000n * 3_000_000n + 8_000n * 300_000n + 2_000n * 3_750_000n + 3_200n * 15_000_000n);
    expect(byRole('reviewer')).toBe(9_000n * 2_000_000n + 700n * 8_000_000n);
    expect(byRole('researcher')).toBe(pico(0.2195417) - byRole('planner') - byRole('writer') - byRole('reviewer'));
  });

  it('shows one researcher stopped by its budget, the app catching it and the run going on', () => {
    const spans = readSpansFile(offline.file);
    const stopped = spans.filter((s) => s.attributes['costtrace.budget.exceeded'] === true);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'researcher',
      'costtrace.budget.limit_usd': 0.05,
      'costtrace.budget.spent_usd': 0.0502089,
      'costtrace.budget.exceeded': true,
      'costtrace.budget.aborted_calls': 1,
      'costtrace.budget.refused_calls': 0,
      'costtrace.subtree.cost_usd': 0.0502089,
      'costtrace.subtree.llm_calls': 2,
      'costtrace.subtree.input_tokens': 6_713,
      'costtrace.subtree.output_tokens': 5_426,
      'costtrace.subtree.unpriced_calls': 0,
    });
    const aborted = spans.filter((s) => s.attributes['costtrace.call.outcome'] === 'budget_aborted');
    expect(aborted).toHaveLength(1);
    // No gen_ai.request.max_tokens: the call set none. Its tokens are costtrace's count, priced as such.
    expect(aborted[0]!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'server.address': '127.0.0.1',
      'server.port': expect.any(Number),
      'gen_ai.response.id': expect.stringMatching(/^chatcmpl-fake\d+$/),
      'gen_ai.response.model': 'gpt-4o',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': 713,
      'gen_ai.usage.output_tokens': 4_726,
      'costtrace.usage.estimated': true,
      'costtrace.call.outcome': 'budget_aborted',
      'gen_ai.response.finish_reasons': ['error'],
      'error.type': 'BudgetExceededError',
      'gen_ai.usage.cost.amount': 0.0490425,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costtrace.cost.input_usd': 0.0017825,
      'costtrace.cost.output_usd': 0.04726,
      'costtrace.cost.cache_read_usd': 0,
      'costtrace.cost.cache_write_usd': 0,
      'costtrace.pricing.status': 'estimated',
      'costtrace.pricing.model': 'gpt-4o',
      'costtrace.pricing.provider': 'openai',
      'costtrace.pricing.version': 'genai-prices@0.1.8',
      'costtrace.pricing.reason': "token counts are the instrumentation's estimate, not the provider's",
      'gen_ai.agent.name': 'researcher',
      'costtrace.run.id': expect.stringMatching(/^[0-9a-f]{32}-[0-9a-f]{16}$/),
      'costtrace.subtree.cost_usd': 0.0490425,
      'costtrace.subtree.llm_calls': 1,
      'costtrace.subtree.input_tokens': 713,
      'costtrace.subtree.output_tokens': 4_726,
      'costtrace.subtree.unpriced_calls': 0,
      'costtrace.budget.scope': 'invoke_agent researcher',
    });
    expect(aborted[0]!.status).toEqual({ code: 2, message: 'costtrace budget "invoke_agent researcher" aborted a openai gpt-4o call: limit $0.05, spent $0.050209' });
    // The run went on after the stop: the writer and the reviewer ran, and the run was not over its budget.
    const run = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_workflow')!;
    expect([run.attributes['costtrace.budget.exceeded'], run.attributes['costtrace.budget.limit_usd']]).toEqual([false, 1]);
    expect(spans.filter((s) => s.name === 'invoke_agent writer' || s.name === 'invoke_agent reviewer')).toHaveLength(2);
  });

  it('counts a call the app retried once per attempt: the failed attempt is a call with no usage and no cost', () => {
    const spans = readSpansFile(offline.file);
    const run = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_workflow')!;
    // 10 requests reached the provider (9 answered, one rate-limited): 10 calls.
    expect(run.attributes['costtrace.subtree.llm_calls']).toBe(10);
    const searchSteps = spans.filter((s) => s.attributes['costtrace.step.name'] === 'search');
    const retried = searchSteps.find((step) => step.attributes['costtrace.subtree.llm_calls'] === 2)!;
    const attempts = spans.filter((s) => s.parentSpanId === retried.spanId);
    expect(attempts.map((a) => a.attributes['costtrace.call.outcome'])).toEqual(['error', 'completed']);
    expect(attempts[0]!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 800,
      'server.address': '127.0.0.1',
      'server.port': expect.any(Number),
      'costtrace.call.outcome': 'error',
      'gen_ai.response.finish_reasons': ['error'],
      'error.type': 'RateLimitError',
      'costtrace.pricing.status': 'unpriced',
      'costtrace.pricing.reason': 'the span carries no token usage',
      'gen_ai.agent.name': 'researcher',
      'costtrace.run.id': run.attributes['costtrace.run.id'],
      'costtrace.subtree.llm_calls': 1,
      'costtrace.subtree.input_tokens': 0,
      'costtrace.subtree.output_tokens': 0,
      'costtrace.subtree.unpriced_calls': 1,
    });
    expect(attempts[0]!.status).toEqual({ code: 2, message: '429 Rate limit reached (fake-llm)' });
    expect(retried.attributes['costtrace.subtree.cost_usd']).toBe(attempts[1]!.attributes['gen_ai.usage.cost.amount']);
  });

  it('is read back by `costtrace report` (the built bin) with the same numbers it printed, to the dollar-millionth', () => {
    const bin = join(repoRoot, 'packages/cli/dist/cli.cjs');
    const report = JSON.parse(execFileSync(process.execPath, [bin, 'report', offline.file, '--format', 'json', '--quiet'], { encoding: 'utf8' }));
    const printed = (label: RegExp) => Number(label.exec(offline.stdout)![1]);
    expect(report.totals.costUsd.toFixed(6)).toBe('0.219542');
    expect(report.runs.map((r: { costUsd: number }) => r.costUsd.toFixed(6))).toEqual(['0.219542']);
    expect(report.totals.calls).toBe(10);
    const agents = Object.fromEntries(report.agents.map((a: { name: string; costUsd: number; calls: number }) => [a.name, [a.costUsd.toFixed(6), a.calls]]));
    expect(agents).toEqual({
      planner: [printed(/planner \$(\d\.\d+)/).toFixed(6), 1],
      researcher: [printed(/researcher \$(\d\.\d+)/).toFixed(6), 7],
      writer: [printed(/writer \$(\d\.\d+)/).toFixed(6), 1],
      reviewer: [printed(/reviewer \$(\d\.\d+)/).toFixed(6), 1],
    });
    expect(agents.researcher[0]).toBe('0.091542');
    expect(report.budgetStops.map((s: { agent: string; outcome: string }) => [s.agent, s.outcome])).toEqual([['researcher', 'budget_aborted']]);
  });

  it('with OTEL_EXPORTER_OTLP_ENDPOINT set, sends the same spans to the collector as it writes to the file', () => {
    expect([online.code, online.stderr]).toEqual([0, '']);
    expect(online.stdout).toContain(`Also sent over OTLP to ${receiver.url}.`);
    expect(offline.stdout).not.toContain('Also sent');
    const fromFile = readSpansFile(online.file);
    expect(fromFile).toHaveLength(28);
    const received = new Map(receiver.spans.map((s) => [s.spanId, s]));
    for (const span of fromFile) expect(received.get(span.spanId)).toEqual(span);
    expect(receiver.spans).toHaveLength(fromFile.length);
  });
});
