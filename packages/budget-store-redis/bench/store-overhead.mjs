// What a Redis budget store adds per model call against the in-memory store, side by side in one
// run, against the BUILT dist:
//   pnpm --filter @costtrace/budget-store-redis build && node packages/budget-store-redis/bench/store-overhead.mjs
// One call = the wire-level gate (InferenceCall.startAsync under a $1000 budget span), a usage
// update, the end (settle). Variants, alternated round by round: the in-memory store; Redis with
// the default lease (most calls decided locally, each settle sent in the background); Redis with no
// lease (every admission waits for a script round trip). Per call: CPU (process.cpuUsage over the
// round, this process only: Redis's own CPU is not counted) and wall latency of admission and of
// the whole call. Median and p10–p90 over rounds. Spawns its own redis-server on a free port.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, diag, trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { InferenceCall } from '@costtrace/pipeline';
import { BudgetSpanProcessor, InMemoryBudgetStore } from '@costtrace/budget-span-processor';
import { RedisBudgetStore } from '../dist/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const CALLS = Number(process.env.CALLS ?? 200);
const BINARY = process.env.COSTTRACE_REDIS_SERVER ?? '/usr/bin/redis-server';

if (!existsSync(BINARY)) {
  console.log(`skipped: ${BINARY} is not installed (apt-get install redis-server)`);
  process.exit(0);
}

const port = await new Promise((resolve) => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const p = srv.address().port;
    srv.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'costtrace-bench-redis-'));
const server = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
for (let i = 0; ; i++) {
  const up = await new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => (s.destroy(), resolve(false)));
  });
  if (up) break;
  if (i > 200) throw new Error('redis-server did not start');
  await new Promise((r) => setTimeout(r, 25));
}
const url = `redis://127.0.0.1:${port}/0`;

const variants = [
  { name: 'in-memory', store: new InMemoryBudgetStore() },
  { name: 'redis, leased (default 2%)', store: new RedisBudgetStore({ url, keyPrefix: 'bench-leased:' }) },
  { name: 'redis, no lease', store: new RedisBudgetStore({ url, keyPrefix: 'bench-nolease:', leaseRatio: 0 }) },
].map((v) => {
  const processor = new BudgetSpanProcessor({ store: v.store });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('bench');
  const budget = tracer.startSpan('run', { attributes: { 'costtrace.budget.limit_usd': 1000 } });
  return { ...v, processor, provider, tracer, parentContext: trace.setSpan(context.active(), budget), budget, cpu: [], admit: [], total: [] };
});

async function oneCall(v) {
  const t0 = process.hrtime.bigint();
  const call = await InferenceCall.startAsync({
    tracer: v.tracer, diag, provider: 'openai', operation: 'chat', requestModel: 'gpt-4o-mini', streaming: true,
    estimate: { inputTokens: 100, choices: 1 }, parentContext: v.parentContext,
  });
  const t1 = process.hrtime.bigint();
  call.recordUsage({ inputTokens: 100, outputTokens: 200 }, false);
  call.end({});
  return [Number(t1 - t0) / 1000, Number(process.hrtime.bigint() - t0) / 1000];
}

async function round(v) {
  const remove = v.processor.installGate();
  const admit = [];
  const total = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) {
    const [a, t] = await oneCall(v);
    admit.push(a);
    total.push(t);
  }
  // Let background syncs (settles sent to Redis) finish inside the measured CPU.
  await new Promise((r) => setTimeout(r, 20));
  const cpu = process.cpuUsage(cpu0);
  remove();
  v.cpu.push((cpu.user + cpu.system) / CALLS);
  v.admit.push(median(admit));
  v.total.push(median(total));
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (values) => pct(values, 50);
const fmt = (values) => `${median(values).toFixed(1).padStart(7)} (${pct(values, 10).toFixed(1)}–${pct(values, 90).toFixed(1)})`;

// Warm-up: connections, script load, JIT.
for (const v of variants) await round(v);
for (const v of variants) v.cpu.length = v.admit.length = v.total.length = 0;
for (let r = 0; r < ROUNDS; r++) for (const v of variants) await round(v);

console.log(`per call, µs: median over ${ROUNDS} rounds of ${CALLS} sequential calls (p10–p90 across rounds)`);
console.log(`${'store'.padEnd(28)}${'CPU'.padStart(22)}${'admission latency'.padStart(24)}${'call latency'.padStart(24)}`);
const base = median(variants[0].cpu);
for (const v of variants) {
  console.log(`${v.name.padEnd(28)}${fmt(v.cpu).padStart(22)}${fmt(v.admit).padStart(24)}${fmt(v.total).padStart(24)}   CPU ×${(median(v.cpu) / base).toFixed(2)}`);
}

for (const v of variants) {
  v.budget.end();
  await v.provider.shutdown();
}
server.kill('SIGKILL');
rmSync(dir, { recursive: true, force: true });
