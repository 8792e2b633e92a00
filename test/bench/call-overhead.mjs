// CPU per model call, costtrace beside the official OpenTelemetry OpenAI instrumentation, measured
// side by side in one run. Run after `pnpm build`:
//   node test/bench/call-overhead.mjs            (ROUNDS=9 CALLS=1500 to change the counts)
//
// The SDK is answered in-process (a `fetch` option that returns a ready Response), so the HTTP stack
// does not bury the difference. Each variant runs in a child process of its own (instrumentations
// patch the module for good); rounds alternate the variants so machine noise hits all of them alike,
// and the median round is reported with its spread. Variants:
//   bare      the SDK alone, no OpenTelemetry
//   floor     a registered TracerProvider (no-op exporting processor) with its context manager and a
//             MeterProvider: what every instrumented app pays before any instrumentation
//   official  floor + @opentelemetry/instrumentation-openai
//   costtrace floor + costtrace's OpenAI and Anthropic instrumentations, CostSpanProcessor and
//             BudgetSpanProcessor from createCostProcessors (the gate and ledger installed, no budget set), and
//             the fetch instrumentation with the SDKs' base URL configured (so their requests reach its
//             ownership check and pass through), as `@costtrace/register` wires them
//   wire      floor + the same processors and the fetch instrumentation alone: the same calls traced at
//             the wire (the SDKs unpatched, as the Vercel AI SDK or @google/genai are)
// The SDKs send with the global `fetch` (as openai >= 5 and @anthropic-ai/sdk do), which every variant
// replaces with the in-process answerer before any instrumentation wraps it.
// Figures are µs of process CPU (user + system) per call above the floor.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const CALLS = Number(process.env.CALLS ?? 1500);
const VARIANTS = ['bare', 'floor', 'official', 'costtrace', 'wire'];
const KINDS = ['chat', 'chat-stream-50', 'anthropic'];

function parent() {
  const results = Object.fromEntries(VARIANTS.map((v) => [v, Object.fromEntries(KINDS.map((k) => [k, []]))]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of VARIANTS) {
      const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', variant], {
        encoding: 'utf8',
        env: { ...process.env, OTEL_LOG_LEVEL: 'error' },
      });
      if (r.status !== 0) {
        console.error(r.stderr);
        throw new Error(`variant ${variant} failed`);
      }
      const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const figures = JSON.parse(line.slice('RESULT '.length));
      for (const kind of KINDS) if (figures[kind] !== undefined) results[variant][kind].push(figures[kind]);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const spread = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length * 0.75)] - s[Math.floor(s.length * 0.25)];
  };
  console.log(`CPU per call, µs (median of ${ROUNDS} alternating rounds of ${CALLS} calls; ± interquartile range)`);
  console.log(['call kind', ...VARIANTS.map((v) => v), 'official above floor', 'costtrace above floor', 'wire above floor'].join(' | '));
  for (const kind of KINDS) {
    const m = Object.fromEntries(VARIANTS.map((v) => [v, results[v][kind].length ? median(results[v][kind]) : undefined]));
    const cells = VARIANTS.map((v) => (m[v] === undefined ? '–' : `${m[v].toFixed(1)} ±${spread(results[v][kind]).toFixed(1)}`));
    const above = (v) => (m[v] === undefined ? '–' : `+${(m[v] - m.floor).toFixed(1)}`);
    console.log([kind, ...cells, above('official'), above('costtrace'), above('wire')].join(' | '));
  }
}

async function child(variant) {
  const appRequire = createRequire(fileURLToPath(new URL('../sdk-versions/mixed/package.json', import.meta.url)));
  // The network, answered in-process; instrumentations that wrap the global fetch wrap this.
  globalThis.fetch = (url, init) => (String(url).endsWith('/v1/messages') ? anthropicFetch(url, init) : openaiFetch(url, init));
  const finishers = [];
  if (variant !== 'bare') {
    const api = appRequire('@opentelemetry/api');
    const { AsyncLocalStorageContextManager } = appRequire('@opentelemetry/context-async-hooks');
    const { TracerProvider } = appRequire('@opentelemetry/sdk-trace');
    const { MeterProvider, MetricReader } = appRequire('@opentelemetry/sdk-metrics');
    const { registerInstrumentations } = appRequire('@opentelemetry/instrumentation');
    class IdleReader extends MetricReader {
      onForceFlush() {
        return Promise.resolve();
      }
      onShutdown() {
        return Promise.resolve();
      }
    }
    const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
    let exported;
    let calls = 0;
    const noopExporting = {
      onStart() {},
      onEnd(span) {
        exported = span;
        if (span.attributes['costtrace.call.outcome'] !== undefined) calls++;
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const spanProcessors = [];
    const instrumentations = [];
    if (variant === 'official') {
      const { OpenAIInstrumentation } = appRequire('@opentelemetry/instrumentation-openai');
      instrumentations.push(new OpenAIInstrumentation());
    }
    if (variant === 'costtrace' || variant === 'wire') {
      const { createCostProcessors } = appRequire('@costtrace/budget-span-processor');
      const { OpenAIInstrumentation } = appRequire('@costtrace/instrumentation-openai');
      const { AnthropicInstrumentation } = appRequire('@costtrace/instrumentation-anthropic');
      // Through register's own dependencies: the app fixture does not list it.
      const registerRequire = createRequire(appRequire.resolve('@costtrace/register'));
      const { FetchInstrumentation } = registerRequire('@costtrace/instrumentation-fetch');
      // As @costtrace/register wires them: one shared span tree, the gate and the ledger installed.
      const processors = createCostProcessors({ costs: { meterProvider }, budgets: { meterProvider } });
      processors.install();
      spanProcessors.push(...processors.spanProcessors);
      if (variant === 'costtrace') instrumentations.push(new OpenAIInstrumentation(), new AnthropicInstrumentation());
      instrumentations.push(new FetchInstrumentation({ baseUrls: ['http://127.0.0.1:9'] }));
    }
    spanProcessors.push(noopExporting);
    const provider = new TracerProvider({ spanProcessors });
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    api.trace.setGlobalTracerProvider(provider);
    api.metrics.setGlobalMeterProvider(meterProvider);
    if (instrumentations.length) registerInstrumentations({ instrumentations, tracerProvider: provider, meterProvider });
    finishers.push(() => {
      void exported;
      // Every call must have been traced once: by the SDK patch (costtrace) or at the wire (wire).
      const expected = (CALLS + 300) * Object.keys(kinds).length;
      if ((variant === 'costtrace' || variant === 'wire') && calls !== expected) throw new Error(`${variant}: ${calls} call spans, expected ${expected}`);
    });
  }
  const OpenAI = appRequire('openai');
  const Anthropic = appRequire('@anthropic-ai/sdk');
  const openai = new OpenAI({ apiKey: 'bench', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: 'bench', baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
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
      await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 256, messages: messages.slice(1) });
    },
  };
  const out = {};
  for (const [kind, call] of Object.entries(kinds)) {
    if (kind === 'anthropic' && variant === 'official') continue; // no official Anthropic instrumentation
    for (let i = 0; i < 300; i++) await call(); // warm-up: JIT, pools, caches
    globalThis.gc?.();
    const before = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await call();
    const used = process.cpuUsage(before);
    out[kind] = (used.user + used.system) / CALLS;
  }
  for (const f of finishers) f();
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Speculation, margin buying and a fragile banking system.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 41, completion_tokens: 12, total_tokens: 53, prompt_tokens_details: { cached_tokens: 0 } },
});

function sse(chunks) {
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
}

const STREAM_BODY = (() => {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini-2024-07-18' };
  const chunks = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: null }];
  for (let i = 0; i < 48; i++) chunks.push({ ...base, choices: [{ index: 0, delta: { content: ` word${i}` }, finish_reason: null }], usage: null });
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null });
  const usage = { ...base, choices: [], usage: { prompt_tokens: 41, completion_tokens: 48, total_tokens: 89 } };
  return { withUsage: sse([...chunks, usage]), withoutUsage: sse(chunks) };
})();

const MESSAGE = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5-20251001',
  content: [{ type: 'text', text: 'Speculation, margin buying and a fragile banking system.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 30, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
});

async function openaiFetch(_url, init) {
  const body = JSON.parse(init.body);
  if (body.stream) {
    const text = body.stream_options?.include_usage ? STREAM_BODY.withUsage : STREAM_BODY.withoutUsage;
    return new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }
  return new Response(COMPLETION, { status: 200, headers: { 'content-type': 'application/json' } });
}

async function anthropicFetch() {
  return new Response(MESSAGE, { status: 200, headers: { 'content-type': 'application/json' } });
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else {
  parent();
}
