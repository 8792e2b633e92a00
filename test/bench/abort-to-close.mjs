// Budget stop, end to end: N parallel openai streams (the real SDK) against fake-llm under one
// run budget. Measures, from the usage update that crosses the limit, the time until every
// in-flight call's AbortSignal fired, and until fake-llm saw every connection close.
// Run after `pnpm build`: node test/bench/abort-to-close.mjs   (TRIALS=… to change the count)
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

process.env.OTEL_TRACES_EXPORTER = 'none';
process.env.OTEL_METRICS_EXPORTER = 'none';
process.env.OTEL_LOG_LEVEL = 'error';
const appRequire = createRequire(fileURLToPath(new URL('../sdk-versions/mixed/package.json', import.meta.url)));
const { registerCostTracing } = appRequire('@costtrace/register/setup');
const core = appRequire('@costtrace/core');
const pipeline = appRequire('@costtrace/pipeline');
const { startFakeLlm } = appRequire('@costtrace/fake-llm');

registerCostTracing({ flushOnExit: false });
const OpenAI = appRequire('openai'); // loaded after registration: patched by require-in-the-middle

// Wrap the installed gate (the BudgetSpanProcessor) to timestamp the crossing and each abort.
const gate = pipeline.getCallGate();
let usageStartedAt = 0;
let crossing = 0;
let aborts = [];
pipeline.setCallGate({
  begin(call) {
    // The call passed on with its prototype (its `estimate` is a getter there), `abort` wrapped.
    const ticket = gate.begin(Object.create(call, { abort: { value: (reason) => {
        // Timestamped as the signal is fired. abort() runs the SDK's listeners synchronously
        // (it tears the fetch down), so the next call's signal fires after this one's teardown.
        const t = performance.now();
        if (aborts.length === 0) crossing = usageStartedAt;
        call.abort(reason);
        aborts.push(t);
      } } }));
    return {
      model: ticket.model,
      onUsage: (usage, estimated) => {
        usageStartedAt = performance.now();
        ticket.onUsage?.(usage, estimated);
      },
      end: (result) => ticket.end(result),
    };
  },
});

const fake = await startFakeLlm();
const client = new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'bench', maxRetries: 0 });

async function trial(n) {
  fake.reset();
  aborts = [];
  crossing = 0;
  // gpt-4.1 at $8 per million output tokens: 25 tokens a chunk ($0.0002). With no max_tokens each
  // call reserves its 1,024-token allowance ($0.0082), so a budget of n × $0.0085 admits all n, and
  // their running spend crosses it after about 45 chunks each, while every stream is mid-flight.
  fake.onRequest(() => ({ chunks: 400, chunkDelayMs: 2, usage: { inputTokens: 10, outputTokens: 10_000 } }));
  const closed = [];
  await core.withRun('bench', { budgetUsd: n * 0.0085 }, () =>
    Promise.all(
      Array.from({ length: n }, async () => {
        try {
          const stream = await client.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'go' }] });
          for await (const _ of stream);
        } catch {
          // BudgetExceededError, as expected
        }
      }),
    ),
  );
  for (const r of fake.requests) closed.push(fake.waitForClose(r.id).then(() => performance.now()));
  const closedAt = await Promise.all(closed);
  if (aborts.length !== n || fake.requests.some((r) => !r.clientClosedEarly)) throw new Error(`trial did not stop all ${n} streams`);
  return { first: Math.min(...aborts) - crossing, last: Math.max(...aborts) - crossing, closes: Math.max(...closedAt) - crossing };
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const TRIALS = Number(process.env.TRIALS ?? 30);
console.log(`Budget stop, end to end: openai ${OpenAI.VERSION ?? ''} streams against fake-llm, ${TRIALS} trials each (Node ${process.versions.node})`);
console.log('streams | crossing → first signal (µs) p50 / p99 | → last signal (µs) p50 / p99 | → fake-llm saw all closes (ms) p50 / p99');
for (const n of [6, 50]) {
  await trial(n); // warm-up
  const rows = [];
  for (let i = 0; i < TRIALS; i++) rows.push(await trial(n));
  const f = rows.map((r) => r.first * 1000);
  const l = rows.map((r) => r.last * 1000);
  const c = rows.map((r) => r.closes);
  const cell = (xs, digits) => `${pct(xs, 50).toFixed(digits)} / ${pct(xs, 99).toFixed(digits)}`;
  console.log(`${String(n).padStart(7)} | ${cell(f, 1).padStart(27)} | ${cell(l, 1).padStart(28)} | ${cell(c, 2).padStart(37)}`);
}
await fake.close();
process.exit(0);
