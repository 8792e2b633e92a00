// One variant of test/bench/call-overhead.mjs (and concurrent-streams.mjs) in a process of its own:
// instrumentations patch the SDK modules for good, so each variant needs a fresh process.
//   node --expose-gc test/bench/peers/call-child.mjs <variant> [--kinds a,b] [--calls N] [--warmup N]
//        [--profile] [--concurrent N]
// Prints `RESULT {json}`: per kind, µs of process CPU (user + system) per call, or `{ crash }`.
// The SDKs send with the global `fetch`, answered in-process (answers.mjs): no sockets, no HTTP
// stack to bury the difference; every instrumentation that wraps `fetch` wraps that answerer.
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { answer, answerInPieces } from './answers.mjs';

const require = createRequire(import.meta.url);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kinds: { type: 'string', default: 'chat,chat-stream-50,anthropic,fetch' },
    calls: { type: 'string', default: '600' },
    warmup: { type: 'string', default: '200' },
    profile: { type: 'boolean', default: false },
    concurrent: { type: 'string' },
  },
});
const variant = positionals[0];
const CALLS = Number(values.calls);
const WARMUP = Number(values.warmup);
const VARIANTS = ['bare', 'floor', 'official', 'openllmetry', 'langfuse', 'costtrace', 'costtrace-no-metrics', 'costtrace-no-budgets'];
if (!VARIANTS.includes(variant)) throw new Error(`unknown variant ${variant}`);
const costtrace = variant.startsWith('costtrace');

globalThis.fetch = values.concurrent ? answerInPieces : answer;

let spans = 0;
let callSpans = 0;
if (variant !== 'bare') {
  const api = require('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
  const { TracerProvider } = require('@opentelemetry/sdk-trace');
  const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  class IdleReader extends MetricReader {
    onForceFlush() {
      return Promise.resolve();
    }
    onShutdown() {
      return Promise.resolve();
    }
  }
  const noopMeterProvider = api.metrics.getMeterProvider(); // before the global one is set
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  let exported;
  // The floor's exporting processor: keeps the span reachable a moment, as an exporter would.
  const noopExporting = {
    onStart() {},
    onEnd(span) {
      exported = span;
      spans++;
      if (span.attributes['costtrace.call.outcome'] !== undefined) callSpans++;
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const spanProcessors = [];
  const instrumentations = [];
  if (variant === 'official') {
    const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');
    instrumentations.push(new OpenAIInstrumentation());
  }
  if (variant === 'openllmetry') {
    const { OpenAIInstrumentation } = require('@traceloop/instrumentation-openai');
    const { AnthropicInstrumentation } = require('@traceloop/instrumentation-anthropic');
    instrumentations.push(new OpenAIInstrumentation(), new AnthropicInstrumentation());
  }
  if (costtrace) {
    const { createCostProcessors } = require('@costtrace/budget-span-processor');
    const { OpenAIInstrumentation } = require('@costtrace/instrumentation-openai');
    const { AnthropicInstrumentation } = require('@costtrace/instrumentation-anthropic');
    const { FetchInstrumentation } = require('@costtrace/instrumentation-fetch');
    // As @costtrace/register wires them: one shared span tree, the gate and the ledger installed.
    const mp = variant === 'costtrace-no-metrics' ? noopMeterProvider : meterProvider;
    const processors = createCostProcessors({
      costs: { meterProvider: mp },
      budgets: variant === 'costtrace-no-budgets' ? false : { meterProvider: mp },
    });
    processors.install();
    spanProcessors.push(...processors.spanProcessors);
    instrumentations.push(new OpenAIInstrumentation(), new AnthropicInstrumentation(), new FetchInstrumentation({ baseUrls: ['http://127.0.0.1:9'] }));
  }
  spanProcessors.push(noopExporting);
  const provider = new TracerProvider({ spanProcessors });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);
  api.metrics.setGlobalMeterProvider(meterProvider);
  if (instrumentations.length) registerInstrumentations({ instrumentations, tracerProvider: provider, meterProvider });
  void exported;
}

const OpenAI = require('openai');
// OpenLLMetry's Anthropic patch throws as the SDK loads (it patches `Completions`, gone in SDK 1.x).
let anthropicCrash;
let Anthropic;
try {
  Anthropic = require('@anthropic-ai/sdk');
} catch (err) {
  anthropicCrash = `the SDK fails to load: ${String(err?.message ?? err).split('\n')[0]}`;
}
let openai = new OpenAI({ apiKey: 'bench', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
if (variant === 'langfuse') openai = require('@langfuse/openai').observeOpenAI(openai);
const anthropic = Anthropic && new Anthropic({ apiKey: 'bench', baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
const messages = [
  { role: 'system', content: 'You are a careful research assistant. Answer briefly and cite nothing.' },
  { role: 'user', content: 'Summarise the main causes of the 1929 stock market crash in three sentences.' },
];
const kinds = {
  chat: async () => {
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  },
  'chat-stream-50': async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    for await (const _ of stream);
  },
  anthropic: async () => {
    if (anthropicCrash) throw new Error(anthropicCrash);
    await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 256, messages: messages.slice(1) });
  },
  // A client that speaks the wire protocol itself (the Vercel AI SDK, @google/genai do).
  fetch: async () => {
    const response = await fetch('http://127.0.0.1:9/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
    });
    await response.json();
  },
};

async function measure(kind) {
  const call = kinds[kind];
  for (let i = 0; i < WARMUP; i++) await call(); // JIT, pools, caches
  globalThis.gc?.();
  const spansBefore = spans;
  const callSpansBefore = callSpans;
  globalThis.__countOn?.(true); // a preload (--import) may count async resources and timers per call here
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await call();
  const used = process.cpuUsage(before);
  globalThis.__countOn?.(false);
  // Each costtrace variant must trace every call once (by the SDK patch, or at the wire).
  if (costtrace && callSpans - callSpansBefore !== CALLS) throw new Error(`${variant}: ${callSpans - callSpansBefore} call spans for ${CALLS} ${kind} calls`);
  if (globalThis.__counts) console.log(kind, JSON.stringify(Object.fromEntries(Object.entries(globalThis.__counts).map(([k, v]) => [k, v / CALLS]))));
  if (globalThis.__counts) for (const k of Object.keys(globalThis.__counts)) delete globalThis.__counts[k];
  return { cpu: (used.user + used.system) / CALLS, spans: (spans - spansBefore) / CALLS };
}

async function concurrent(n) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  await kinds['chat-stream-50'](); // loaded, patched
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
  delay.enable();
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: n }, () => kinds['chat-stream-50']()));
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - start;
  delay.disable();
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  if (costtrace && callSpans !== n + 1) throw new Error(`${variant}: ${callSpans} call spans for ${n + 1} streams`);
  return {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    heapPeakMiB: (heapPeak - heapBefore) / 2 ** 20,
    heapAfterMiB: (heapAfter - heapBefore) / 2 ** 20,
    delayP50Ms: delay.percentile(50) / 1e6,
    delayP99Ms: delay.percentile(99) / 1e6,
    delayMaxMs: delay.max / 1e6,
  };
}

const out = {};
if (values.concurrent) {
  out.concurrent = await concurrent(Number(values.concurrent));
} else {
  const session = values.profile ? new Session() : undefined;
  for (const kind of values.kinds.split(',')) {
    try {
      if (session) {
        for (let i = 0; i < WARMUP; i++) await kinds[kind]();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
        for (let i = 0; i < CALLS; i++) await kinds[kind]();
        const { profile } = await session.post('Profiler.stop');
        session.disconnect();
        out[kind] = { profile };
      } else {
        out[kind] = await measure(kind);
      }
    } catch (err) {
      out[kind] = { crash: String(err?.message ?? err).split('\n')[0].slice(0, 120) };
    }
  }
}
process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
