// Replays real recorded provider responses (../shared/replay-recordings, see its SOURCES.md) through
// the real `openai` and `@anthropic-ai/sdk` clients installed for tests, patched by costtrace's
// instrumentations, with both costtrace processors, against fake-llm serving each recorded body
// byte for byte. The recordings are read in place, never copied into the project.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, type Tracer } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { createCostProcessors } from '@costtrace/budget-span-processor';
import { startFakeLlm, type FakeLlm } from '@costtrace/fake-llm';
import { TestContextManager } from '../../packages/testing/src/test-context-manager';
import { AnthropicInstrumentation } from '@costtrace/instrumentation-anthropic';
import { OpenAIInstrumentation } from '@costtrace/instrumentation-openai';
import { endOpenCalls, openCallCount } from '@costtrace/pipeline';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * `<repoRoot>/../shared/replay-recordings`: CI has `../shared` beside the clone. A git worktree
 * elsewhere finds it beside its main checkout (the directory of the common `.git`).
 */
export const RECORDINGS_DIR = findRecordings();

function findRecordings(): string {
  const repoRoot = join(here, '..', '..');
  const besideClone = join(repoRoot, '..', 'shared', 'replay-recordings');
  if (existsSync(besideClone)) return besideClone;
  try {
    const commonDir = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const besideMain = join(dirname(commonDir), '..', 'shared', 'replay-recordings');
    if (existsSync(besideMain)) return besideMain;
  } catch {
    // Not a git checkout: the error below names the expected place.
  }
  return besideClone;
}

export interface Recording {
  id: string;
  /** The response body, byte for byte as recorded. */
  body: string;
  meta: { contentType: string; status: number; url: string | null };
  /** The recorded request body, when the recording has one. */
  request: Record<string, unknown> | undefined;
}

/** Every case the recordings directory holds (`<id>.body`), by id. */
export function recordingIds(): string[] {
  const sources = readFileSync(join(RECORDINGS_DIR, 'SOURCES.md'), 'utf8');
  return [...sources.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
}

/**
 * One recording. A `-helper` case without files of its own replays the response of the case named
 * in SOURCES.md (`oa-chat-stream-helper` → `oa-chat-stream-usage.body (same response)`).
 */
export function loadRecording(id: string, bodyOf: string = id): Recording {
  const file = (ext: string) => join(RECORDINGS_DIR, `${bodyOf}.${ext}`);
  const request = existsSync(file('req.json')) ? (JSON.parse(readFileSync(file('req.json'), 'utf8')) as Record<string, unknown>) : undefined;
  return {
    id,
    body: readFileSync(file('body'), 'utf8'),
    meta: JSON.parse(readFileSync(file('meta.json'), 'utf8')) as Recording['meta'],
    request,
  };
}

class Collector implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  started = 0;
  onStart(): void {
    this.started += 1;
  }
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Sdk = any;

export interface ReplayHarness {
  fake: FakeLlm;
  openai: Sdk;
  anthropic: Sdk;
  openaiVersion: string;
  anthropicVersion: string;
  /** A tracer of the harness's provider, for `withRun` / `withAgent` scopes. */
  tracer: Tracer;
  /** Serves `recording` for the next request, as recorded: status, content type, body bytes. */
  serve(recording: Recording): void;
  /** The spans ended since the last {@link reset}. */
  spans(): ReadableSpan[];
  /** Every call ended and every span started has ended. */
  allEnded(): boolean;
  reset(): void;
  close(): Promise<void>;
}

/** The catalog versions of both SDKs (the root test package's), patched, with both processors. */
export async function replayHarness(): Promise<ReplayHarness> {
  const require = createRequire(join(here, '..', 'package.json'));
  const openaiSdk = require('openai');
  const anthropicSdk = require('@anthropic-ai/sdk');
  const openaiVersion = installedVersion('openai');
  const anthropicVersion = installedVersion('@anthropic-ai/sdk');

  context.setGlobalContextManager(new TestContextManager());
  const built = createCostProcessors({ costs: {}, budgets: {} });
  built.install();
  const collector = new Collector();
  const provider = new TracerProvider({ spanProcessors: [built.costProcessor, built.budgetProcessor!, collector] });
  // Under vitest the SDKs are not loaded through the module hooks: patch them by hand.
  const oi = new OpenAIInstrumentation({ enabled: false });
  oi.setTracerProvider(provider);
  oi.getModuleDefinitions()[0]!.patch!(openaiSdk, openaiVersion);
  const ai = new AnthropicInstrumentation({ enabled: false });
  ai.setTracerProvider(provider);
  ai.getModuleDefinitions()[0]!.patch!(anthropicSdk, anthropicVersion);

  const fake = await startFakeLlm();
  const openai = new openaiSdk.OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 });
  const anthropic = new anthropicSdk.Anthropic({ baseURL: fake.anthropicBaseURL, apiKey: 'sk-ant-test', maxRetries: 0 });
  return {
    fake,
    openai,
    anthropic,
    openaiVersion,
    anthropicVersion,
    tracer: provider.getTracer('replay-app'),
    serve: (r) => fake.script({ status: r.meta.status, headers: { 'content-type': r.meta.contentType }, rawBody: r.body }),
    spans: () => collector.spans,
    allEnded: () => openCallCount() === 0 && collector.spans.length === collector.started,
    reset: () => {
      endOpenCalls();
      collector.spans.length = 0;
      collector.started = 0;
      fake.reset();
    },
    close: async () => {
      oi.getModuleDefinitions()[0]!.unpatch!(openaiSdk, openaiVersion);
      ai.getModuleDefinitions()[0]!.unpatch!(anthropicSdk, anthropicVersion);
      await fake.close();
      await provider.shutdown();
      context.disable();
    },
  };
}

/** The version of a package installed for the root tests (their `exports` hide `package.json`). */
function installedVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(here, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Every item of a stream. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function drain(iterable: AsyncIterable<unknown>): Promise<any[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
