// An app in the test process: the real openai and Anthropic SDKs patched by costtrace's
// instrumentations, a TracerProvider with both processors wired as createCostProcessors wires them
// (the span tree and the budget store kept in hand, to check they empty), and each SDK client
// answered by an in-process `fetch` (no socket), so thousands of calls run in seconds.
// For the hostile-input and scale suites (test/suites).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { context, diag, DiagLogLevel, trace } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { BudgetSpanProcessor, InMemoryBudgetStore, type BudgetSpanProcessorOptions } from '@costtrace/budget-span-processor';
import { CostSpanProcessor, PricedCalls, resolveTreeOptions, SpanTree } from '@costtrace/cost-span-processor';
import { AnthropicInstrumentation } from '@costtrace/instrumentation-anthropic';
import { OpenAIInstrumentation } from '@costtrace/instrumentation-openai';
import { openCallCount } from '@costtrace/pipeline';
import { TestContextManager } from '../../packages/testing/src/test-context-manager';

const require = createRequire(import.meta.url);
/** An installed package's version (its package.json read from disk: the SDKs' `exports` hide it). */
function versionOf(name: string): string {
  const main = require.resolve(name);
  const root = main.slice(0, main.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}/`.length);
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
const OPENAI_VERSION = versionOf('openai');
const ANTHROPIC_VERSION = versionOf('@anthropic-ai/sdk');

/** Counts every span the provider ends, by span id: a span ended twice would show as 2. */
class EndCounter implements SpanProcessor {
  readonly ends = new Map<string, number>();
  readonly spans: ReadableSpan[] = [];
  keep = true;
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    const id = span.spanContext().spanId;
    this.ends.set(id, (this.ends.get(id) ?? 0) + 1);
    if (this.keep) this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  clear(): void {
    this.ends.clear();
    this.spans.length = 0;
  }
}

/** What the in-process provider answers: a JSON body, or SSE events (each a `data:` line, OpenAI; or `event:` + `data:`, Anthropic). */
export type Answer = { json: unknown; status?: number } | { sse: string[] };
export type Answerer = (url: string, body: Record<string, unknown>) => Answer | Promise<Answer>;

const encoder = new TextEncoder();

function respond(answer: Answer, signal: AbortSignal | null | undefined): Response {
  if ('json' in answer) {
    return new Response(JSON.stringify(answer.json), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  }
  const events = answer.sse;
  let i = 0;
  let aborted = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // As a socket would: an aborted request's body errors.
      signal?.addEventListener('abort', () => {
        aborted = true;
        try {
          controller.error(signal.reason);
        } catch {
          // Already closed.
        }
      }, { once: true });
    },
    async pull(controller) {
      // One event per turn of the event loop, so concurrent streams interleave as over the network.
      await new Promise((resolve) => setImmediate(resolve));
      if (aborted) return;
      if (i < events.length) controller.enqueue(encoder.encode(events[i++]!));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

export interface InProcessApp {
  openai: any;
  anthropic: any;
  provider: TracerProvider;
  tree: SpanTree;
  store: InMemoryBudgetStore;
  cost: CostSpanProcessor;
  budget: BudgetSpanProcessor;
  ended: EndCounter;
  /** Model calls whose span is still open. */
  openCalls(): number;
  /** diag errors and warnings logged since start. */
  errors: unknown[][];
  warnings: string[];
  close(): Promise<void>;
}

let contextSet = false;

export function startInProcessApp(answer: Answerer, budgets: BudgetSpanProcessorOptions = {}): InProcessApp {
  if (!contextSet) {
    context.setGlobalContextManager(new TestContextManager());
    contextSet = true;
  }
  const errors: unknown[][] = [];
  const warnings: string[] = [];
  diag.setLogger(
    { error: (...a: unknown[]) => errors.push(a), warn: (m: string) => warnings.push(m), info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const tree = new SpanTree(resolveTreeOptions({}, process.env));
  const pricedCalls = new PricedCalls();
  const store = new InMemoryBudgetStore();
  const cost = new CostSpanProcessor({}, { tree, pricedCalls, endsSpans: false });
  const budget = new BudgetSpanProcessor({ ...budgets, store }, { tree, pricedCalls });
  const ended = new EndCounter();
  const provider = new TracerProvider({ spanProcessors: [cost, budget, ended] });
  // withRun and withAgent start their spans on the global provider.
  trace.disable();
  trace.setGlobalTracerProvider(provider);
  const removeLedger = cost.installLedger();
  const removeGate = budget.installGate();

  const openaiSdk = require('openai');
  const anthropicSdk = require('@anthropic-ai/sdk');
  const oi = new OpenAIInstrumentation({ enabled: false });
  oi.setTracerProvider(provider);
  oi.getModuleDefinitions()[0]!.patch!(openaiSdk, OPENAI_VERSION);
  const ai = new AnthropicInstrumentation({ enabled: false });
  ai.setTracerProvider(provider);
  ai.getModuleDefinitions()[0]!.patch!(anthropicSdk, ANTHROPIC_VERSION);

  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    return respond(await answer(String(url), body), init?.signal);
  };
  const OpenAI = openaiSdk.OpenAI ?? openaiSdk.default;
  const Anthropic = anthropicSdk.Anthropic ?? anthropicSdk.default;
  const openai = new OpenAI({ baseURL: 'http://in-process.invalid/v1', apiKey: 'sk-test', maxRetries: 0, fetch });
  const anthropic = new Anthropic({ baseURL: 'http://in-process.invalid', apiKey: 'sk-ant-test', maxRetries: 0, fetch });

  return {
    openai,
    anthropic,
    provider,
    tree,
    store,
    cost,
    budget,
    ended,
    openCalls: () => openCallCount(),
    errors,
    warnings,
    close: async () => {
      removeGate();
      removeLedger();
      await provider.shutdown();
      oi.getModuleDefinitions()[0]!.unpatch!(openaiSdk, OPENAI_VERSION);
      ai.getModuleDefinitions()[0]!.unpatch!(anthropicSdk, ANTHROPIC_VERSION);
      trace.disable();
      diag.disable();
    },
  };
}

/** OpenAI chat completion JSON with `usage` as given (omitted when undefined). */
export function openaiChatJson(model: string, text: string, usage: unknown): unknown {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    ...(usage === undefined ? {} : { usage }),
  };
}

/** OpenAI chat stream: a role chunk, `deltas` content chunks, then a usage chunk with `usage` (none when undefined). */
export function openaiChatSse(model: string, deltas: string[], usage: unknown): string[] {
  const chunk = (delta: unknown, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '' }, null),
    ...deltas.map((d) => chunk({ content: d }, null)),
    chunk({}, 'stop'),
    ...(usage === undefined ? [] : [`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model, choices: [], usage })}\n\n`]),
    'data: [DONE]\n\n',
  ];
}

/** Anthropic message JSON with `usage` as given. */
export function anthropicJson(model: string, text: string, usage: unknown): unknown {
  return { id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage };
}

export type { Span };
