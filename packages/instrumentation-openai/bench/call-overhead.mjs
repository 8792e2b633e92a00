// CPU that costtrace adds to one openai call, measured side by side in one run against the BUILT
// package (`pnpm --filter @costtrace/instrumentation-openai build`):
//   node --expose-gc packages/instrumentation-openai/bench/call-overhead.mjs [calls-per-round]
// Two copies of openai 6 (test/sdk-versions/openai-v6) answer from an in-process `fetch` (no
// socket, so the figures are the SDK's and ours, not the network's): one left alone, one patched
// by OpenAIInstrumentation under a TracerProvider with a no-op exporting processor and no budget.
// Rounds alternate between them so that machine noise hits all alike; the median round is
// reported, for a plain chat call and for a 50-chunk stream read to the end. To compare with an
// earlier build in the same run, point COSTTRACE_BENCH_BASELINE at its dist/index.js (a third
// copy of openai is patched by it).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { OpenAIInstrumentation } from '../dist/index.js';

const CALLS = Number(process.argv[2] ?? 600);
const ROUNDS = 5;
const fixture = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'test', 'sdk-versions', 'openai-v6');
const require = createRequire(join(fixture, 'package.json'));

function freshSdk() {
  for (const key of Object.keys(require.cache)) if (key.includes(`${join('node_modules', 'openai')}`)) delete require.cache[key];
  const sdk = require('openai');
  return { sdk, version: JSON.parse(readFileSync(join(fixture, 'node_modules', 'openai', 'package.json'), 'utf8')).version };
}

const PROMPT = 'Summarise the quarterly report for the board in three short bullet points, please. '.repeat(4);
const chatBody = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Revenue up. Costs flat. Hiring paused.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 80, completion_tokens: 9, total_tokens: 89 },
});
const chunk = (delta, extra = {}) => `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
const streamBody =
  Array.from({ length: 50 }, (_, i) => chunk({ content: `word${i} ` }, { usage: null })).join('') +
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 80, completion_tokens: 50, total_tokens: 130 } })}\n\n` +
  'data: [DONE]\n\n';

const fakeFetch = async (_url, init) => {
  const streaming = JSON.parse(init.body).stream === true;
  return new Response(streaming ? streamBody : chatBody, {
    status: 200,
    headers: { 'content-type': streaming ? 'text/event-stream' : 'application/json' },
  });
};

function client(sdk) {
  return new sdk.OpenAI({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: fakeFetch });
}

function tracedClient(Instrumentation) {
  const { sdk, version } = freshSdk();
  const provider = new TracerProvider({
    spanProcessors: [{ onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const instrumentation = new Instrumentation({ enabled: false });
  instrumentation.setTracerProvider(provider);
  instrumentation.getModuleDefinitions()[0].patch(sdk, version);
  return client(sdk);
}

const variants = { 'openai alone': client(freshSdk().sdk), 'with costtrace': tracedClient(OpenAIInstrumentation) };
if (process.env.COSTTRACE_BENCH_BASELINE) {
  const baseline = await import(process.env.COSTTRACE_BENCH_BASELINE);
  variants['with baseline'] = tracedClient(baseline.OpenAIInstrumentation);
}

const messages = [{ role: 'user', content: PROMPT }];
const kinds = {
  chat: (c) => c.chat.completions.create({ model: 'gpt-4o-mini', messages }),
  'stream-50': async (c) => {
    const stream = await c.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    for await (const _ of stream);
  },
};

async function round(c, fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fn(c);
  return Number(process.hrtime.bigint() - start) / 1000 / CALLS;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, fn] of Object.entries(kinds)) {
  for (let i = 0; i < 200; i++) for (const c of Object.values(variants)) await fn(c);
  const times = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [v, c] of Object.entries(variants)) {
      globalThis.gc?.();
      times[v].push(await round(c, fn));
    }
  }
  const alone = median(times['openai alone']);
  const parts = Object.keys(variants).map((v) => {
    const t = median(times[v]);
    return v === 'openai alone' ? `${v} ${t.toFixed(1)} µs` : `${v} +${(t - alone).toFixed(1)} µs`;
  });
  console.log(`${name.padEnd(10)} per call: ${parts.join(', ')}`);
}
