import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeLlm, Reply } from '@costtrace/fake-llm';
import type { OtlpReceiver, ReceivedSpan } from './otlp-receiver';
import { repoRoot, testRoot } from './workspace';

/** Which installed SDK major a child process loads (a folder under test/sdk-versions). */
export type Fixture =
  | 'openai-v4'
  | 'openai-v5'
  | 'openai-v6'
  | 'openai-v7'
  | 'anthropic-v0'
  | 'anthropic-v1'
  | 'mixed'
  | 'google-genai'
  | 'bedrock'
  | 'openai-agents'
  | 'openai-agents-openai6'
  | 'langgraph'
  | 'ai-sdk-6'
  | 'ai-sdk-7'
  | 'mastra';
export type ModuleSystem = 'esm' | 'cjs';

/** A scenario module under test/scenarios: replies for fake-llm, and the app code to run. */
export interface ScenarioModule {
  /** Replies fake-llm gives this scenario's requests, in order. */
  replies?: Reply[];
  default: (ctx: ScenarioContext) => Promise<unknown>;
}

/** What a scenario's app code gets in the child process. */
export interface ScenarioContext {
  /** The SDK module as the app loaded it (`require()` result or ESM namespace); the first one for `mixed`. */
  sdk: any;
  /** Every SDK the app loaded, by module name. */
  sdks: Record<string, any>;
  fakeUrl: string;
  /** Headers that route this scenario's requests to its replies. */
  headers: Record<string, string>;
}

export interface ScenarioOutcome {
  /** What the scenario returned, or the error it threw. */
  result?: unknown;
  error?: { name: string; message: string; ctor: string; budget: boolean };
  /** Spans of this scenario's trace, its own root span excluded. */
  spans: ReceivedSpan[];
  root: ReceivedSpan | undefined;
}

export interface RunOptions {
  fixture: Fixture;
  mode: ModuleSystem;
  /** Scenario paths under test/scenarios without extension, e.g. `openai/chat-basic`. */
  scenarios: string[];
  fake: FakeLlm;
  receiver: OtlpReceiver;
  env?: Record<string, string>;
  /** How the child ends: the event loop draining (beforeExit), or SIGTERM sent to itself. @default 'drain' */
  exit?: 'drain' | 'sigterm';
  /** The preload: `@costtrace/register` (default) or a file of the fixture dir written by the test. */
  preload?: string;
  /**
   * Files of the fixture dir preloaded before `preload` (`--import`/`--require`), e.g. the app's own
   * OpenTelemetry setup. @default []
   */
  preloadFirst?: { esm: string; cjs: string }[];
  /** Tells apart two runs of the same scenarios (their fake-llm reply queues and request records). */
  tag?: string;
}

export interface RunResult {
  outcomes: Record<string, ScenarioOutcome>;
  /** Model calls still open after the last scenario returned (before exit), or undefined if not reported. */
  openCalls: number | undefined;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the child reporting its scenarios done (the app's work finished) to its exit. */
  finishedToExitMs: number | undefined;
}

const SDK_OF: Record<Fixture, string[]> = {
  'openai-v4': ['openai'],
  'openai-v5': ['openai'],
  'openai-v6': ['openai'],
  'openai-v7': ['openai'],
  'anthropic-v0': ['@anthropic-ai/sdk'],
  'anthropic-v1': ['@anthropic-ai/sdk'],
  mixed: ['openai', '@anthropic-ai/sdk'],
  'ai-sdk-6': ['ai', '@ai-sdk/openai', '@ai-sdk/anthropic'],
  'ai-sdk-7': ['ai', '@ai-sdk/openai', '@ai-sdk/anthropic', '@ai-sdk/otel'],
  mastra: ['@mastra/core/agent', '@mastra/core/mastra', '@ai-sdk/openai', '@ai-sdk/anthropic'],
  'google-genai': ['@google/genai'],
  bedrock: ['@aws-sdk/client-bedrock-runtime'],
  'openai-agents': ['@openai/agents', 'openai'],
  'openai-agents-openai6': ['@openai/agents', 'openai'],
  langgraph: ['@langchain/langgraph', '@langchain/openai', 'openai'],
};

export const nodeMajor = Number(process.versions.node.split('.')[0]);

/** The SDK majors this Node can run (openai 7 needs Node 22; openai 4 pulls punycode, deprecated on Node 21+). */
export function fixturesFor(sdk: 'openai' | 'anthropic'): Fixture[] {
  if (sdk === 'anthropic') return ['anthropic-v0', 'anthropic-v1'];
  return nodeMajor >= 22 ? ['openai-v5', 'openai-v6', 'openai-v7'] : ['openai-v4', 'openai-v5', 'openai-v6'];
}

// The child's driver, the same text for both module systems: it loads the SDK the
// way the app would (import or require), then runs each scenario in a root span.
const DRIVER = `
async function runAll(sdks, trace, importScenario) {
  const sdk = Object.values(sdks)[0];
  const cfg = JSON.parse(process.env.COSTTRACE_SCENARIOS);
  const tracer = trace.getTracer('costtrace-test-scenario');
  for (const s of cfg.scenarios) {
    const mod = await importScenario(s.file);
    const line = await tracer.startActiveSpan('scenario ' + s.name, async (span) => {
      try {
        const result = await mod.default({ sdk, sdks, fakeUrl: cfg.fakeUrl, headers: { 'x-fake-scenario': s.name } });
        return { name: s.name, result: result === undefined ? null : result };
      } catch (e) {
        const budget = typeof e === 'object' && e !== null && e[Symbol.for('costtrace.BudgetExceededError')] === true;
        return { name: s.name, error: { name: String(e && e.name), message: String(e && e.message), ctor: String(e && e.constructor && e.constructor.name), budget } };
      } finally {
        span.end();
      }
    });
    process.stdout.write('SCENARIO_RESULT ' + JSON.stringify(line) + '\\n');
  }
  // Model calls whose span is still open (in costtrace's one Symbol.for registry): none may be.
  const open = globalThis[Symbol.for('costtrace.registry')]?.openCalls;
  process.stdout.write('OPEN_CALLS ' + (open ? open.size : 0) + '\\n');
  setTimeout(() => { process.stderr.write('scenario child still alive after 15 s\\n'); process.exit(3); }, 15000).unref();
  if (cfg.exit === 'sigterm') process.kill(process.pid, 'SIGTERM');
}
`;

/**
 * Writes an entry file only when its text changed, and then whole at once (a rename): test files
 * running in parallel share a fixture's entries, and a child loading one while another test rewrote
 * it in place read it empty, ran nothing and exited 0.
 */
function writeEntry(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) return;
  } catch {
    // Not written yet.
  }
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function writeEntries(fixture: Fixture): { esm: string; cjs: string } {
  const dir = join(testRoot, 'sdk-versions', fixture, '.scenarios');
  mkdirSync(dir, { recursive: true });
  const esm = join(dir, 'entry.mjs');
  const cjs = join(dir, 'entry.cjs');
  writeEntry(
    esm,
    `import { trace } from '@opentelemetry/api';\nimport { pathToFileURL } from 'node:url';\n${DRIVER}\n` +
      `const sdks = {};\nfor (const name of ${JSON.stringify(SDK_OF[fixture])}) sdks[name] = await import(name);\n` +
      `await runAll(sdks, trace, (f) => import(pathToFileURL(f).href));\n`,
  );
  writeEntry(
    cjs,
    `const { trace } = require('@opentelemetry/api');\nconst { pathToFileURL } = require('node:url');\n${DRIVER}\n` +
      `const sdks = {};\nfor (const name of ${JSON.stringify(SDK_OF[fixture])}) sdks[name] = require(name);\n` +
      `runAll(sdks, trace, (f) => import(pathToFileURL(f).href)).catch((e) => { console.error(e); process.exitCode = 1; });\n`,
  );
  return { esm, cjs };
}

/** The prefix of a run's scenario names, as fake-llm records them in `x-fake-scenario`. */
export function scenarioPrefix(opts: Pick<RunOptions, 'fixture' | 'mode' | 'tag'>): string {
  return `${opts.fixture}-${opts.mode}-${opts.tag ? `${opts.tag}-` : ''}`;
}

/** Loads a scenario module in the test process (for its replies). */
export async function loadScenario(name: string): Promise<ScenarioModule> {
  return (await import(join(testRoot, 'scenarios', `${name}.mjs`))) as ScenarioModule;
}

/**
 * Runs scenarios in one child process, the way a user's app runs:
 * `node --import @costtrace/register entry.mjs` (ESM) or `node --require
 * @costtrace/register entry.cjs` (CommonJS), exporting over OTLP/HTTP JSON to
 * the loopback receiver. Each scenario's spans are told apart by its trace.
 */
export async function runScenarios(opts: RunOptions): Promise<RunResult> {
  const entries = writeEntries(opts.fixture);
  const scenarios = [];
  for (const name of opts.scenarios) {
    const mod = await loadScenario(name);
    const scoped = `${scenarioPrefix(opts)}${name}`;
    opts.fake.scriptScenario(scoped, ...(mod.replies ?? []));
    scenarios.push({ name: scoped, file: join(testRoot, 'scenarios', `${name}.mjs`) });
  }
  const preload = opts.preload ?? '@costtrace/register';
  const first = (opts.preloadFirst ?? []).flatMap((p) => (opts.mode === 'esm' ? ['--import', p.esm] : ['--require', p.cjs]));
  const args = opts.mode === 'esm' ? [...first, '--import', preload, entries.esm] : [...first, '--require', preload, entries.cjs];
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    OTEL_EXPORTER_OTLP_ENDPOINT: opts.receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'costtrace-scenario',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    COSTTRACE_SCENARIOS: JSON.stringify({ scenarios, fakeUrl: opts.fake.url, exit: opts.exit ?? 'drain' }),
    ...opts.env,
  };
  const child = spawn(process.execPath, args, { cwd: join(testRoot, 'sdk-versions', opts.fixture), env });
  let stdout = '';
  let stderr = '';
  let finishedAt: number | undefined;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (finishedAt === undefined && /^OPEN_CALLS \d+$/m.test(stdout)) finishedAt = performance.now();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, sig) => resolve([code, sig])),
  );
  const finishedToExitMs = finishedAt === undefined ? undefined : Math.round(performance.now() - finishedAt);

  const outcomes: Record<string, ScenarioOutcome> = {};
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('SCENARIO_RESULT ')) continue;
    const parsed = JSON.parse(line.slice('SCENARIO_RESULT '.length));
    const short = opts.scenarios.find((n) => parsed.name === `${scenarioPrefix(opts)}${n}`) ?? parsed.name;
    const root = opts.receiver.spans.find((s) => s.name === `scenario ${parsed.name}`);
    const spans = root ? opts.receiver.spans.filter((s) => s.traceId === root.traceId && s !== root) : [];
    outcomes[short] = { ...('result' in parsed ? { result: parsed.result } : { error: parsed.error }), spans, root };
  }
  const open = /^OPEN_CALLS (\d+)$/m.exec(stdout);
  return { outcomes, openCalls: open ? Number(open[1]) : undefined, stdout, stderr, exitCode, signal, finishedToExitMs };
}

export { repoRoot };
