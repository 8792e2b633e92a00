// 10,000 streamed calls at once (50 chunks each, the body arriving in pieces over turns of the
// event loop, as from a socket): CPU, heap and event-loop delay at the floor and with costtrace.
// After `pnpm build`:   node test/bench/concurrent-streams.mjs      (STREAMS=10000 to change)
// Each variant runs in a child process of its own (test/bench/peers/call-child.mjs --concurrent).
// Heap: the peak above the heap before the calls (sampled every 5 ms) and what is left after them
// and a GC; event-loop delay: the longest stretch of work between two turns, as percentiles.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const STREAMS = Number(process.env.STREAMS ?? 10_000);
const CHILD = fileURLToPath(new URL('./peers/call-child.mjs', import.meta.url));
const rows = [];
for (const variant of ['floor', 'costtrace']) {
  const r = spawnSync(process.execPath, ['--expose-gc', CHILD, variant, '--concurrent', String(STREAMS)], { encoding: 'utf8', env: { ...process.env, OTEL_LOG_LEVEL: 'error' } });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`${variant} failed:\n${r.stderr}`);
  rows.push([variant, JSON.parse(line.slice('RESULT '.length)).concurrent]);
}
const f = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`${f(STREAMS)} concurrent streamed calls (50 chunks each; every call traced once by costtrace)`);
console.log('| variant | CPU | CPU per call | wall | heap peak | heap after GC | event-loop delay p50 / p99 / max |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [v, c] of rows) {
  console.log(`| ${v} | ${f(c.cpuMs)} ms | ${f((1000 * c.cpuMs) / STREAMS)} µs | ${f(c.wallMs)} ms | +${f(c.heapPeakMiB, 1)} MiB | ${c.heapAfterMiB >= 0 ? '+' : ''}${f(c.heapAfterMiB, 1)} MiB | ${f(c.delayP50Ms)} / ${f(c.delayP99Ms)} / ${f(c.delayMaxMs)} ms |`);
}
