// CPU per model call: costtrace beside its peers, measured side by side in one run. After `pnpm build`:
//   node test/bench/call-overhead.mjs          (ROUNDS=3 CALLS=300 WARMUP=100 PROFILE_CALLS=600 by default; more for steadier medians)
//
// Each variant runs in a child process of its own (test/bench/peers/call-child.mjs; instrumentations
// patch the SDK modules for good) and the rounds alternate the variants, so machine noise hits all of
// them alike; the median round is reported with its spread (interquartile range). The SDK is answered
// in-process (the global `fetch` returns a ready Response), so the HTTP stack does not bury the
// difference. Figures are µs of process CPU (user + system) per call above the floor. Variants:
//   bare        the SDKs alone, no OpenTelemetry
//   floor       a registered TracerProvider (a no-op exporting processor) with its context manager and
//               a MeterProvider: what every instrumented app pays before any instrumentation
//   official    floor + @opentelemetry/instrumentation-openai
//   openllmetry floor + @traceloop/instrumentation-openai and -anthropic
//   langfuse    floor + Langfuse v5's observeOpenAI (@langfuse/openai) on the OpenAI client
//   costtrace   floor + costtrace as @costtrace/register wires it: the OpenAI, Anthropic and fetch
//               instrumentations, createCostProcessors() (cost and budget processors, the gate and the
//               ledger installed, no budget set), metrics to the MeterProvider
//   costtrace-no-metrics   the same, its processors given a no-op MeterProvider
//   costtrace-no-budgets   the same, createCostProcessors({ budgets: false }): no gate
// Call kinds: a plain chat completion, a 50-chunk stream read to the end, an Anthropic message (all
// through the SDKs), and a plain chat completion sent with `fetch` by the app itself (a wire-level
// client, as the Vercel AI SDK is). A variant that adds no span to a call kind shows `–`.
// The peers are pinned in test/bench/peers/package.json. Then a CPU profile of the costtrace variant
// names its top functions per call kind (self time).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CALLS = Number(process.env.CALLS ?? 300);
const WARMUP = Number(process.env.WARMUP ?? 100);
const PROFILE_CALLS = Number(process.env.PROFILE_CALLS ?? 600);
const only = (name, all) => (process.env[name] ? all.filter((x) => x === 'floor' || process.env[name].split(',').includes(x)) : all);
// VARIANTS=costtrace,official KINDS=chat to run a subset (the floor always runs).
const VARIANTS = only('VARIANTS', ['bare', 'floor', 'official', 'openllmetry', 'langfuse', 'costtrace', 'costtrace-no-metrics', 'costtrace-no-budgets']);
const PEERS = VARIANTS.filter((v) => v !== 'bare' && v !== 'floor');
const KINDS = only('KINDS', ['chat', 'chat-stream-50', 'anthropic', 'fetch']);
const CHILD = fileURLToPath(new URL('./peers/call-child.mjs', import.meta.url));

function runChild(args) {
  const r = spawnSync(process.execPath, ['--expose-gc', CHILD, ...args], { encoding: 'utf8', env: { ...process.env, OTEL_LOG_LEVEL: 'error' }, maxBuffer: 256 * 2 ** 20 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`call-child ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(line.slice('RESULT '.length));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.75)] - s[Math.floor(s.length * 0.25)];
};
const us = (x) => Math.round(x).toLocaleString('en-US');

const cpu = Object.fromEntries(VARIANTS.map((v) => [v, Object.fromEntries(KINDS.map((k) => [k, []]))]));
const spans = Object.fromEntries(VARIANTS.map((v) => [v, {}]));
const crashes = Object.fromEntries(VARIANTS.map((v) => [v, {}]));
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of VARIANTS) {
    const figures = runChild([variant, '--kinds', KINDS.join(','), '--calls', String(CALLS), '--warmup', String(WARMUP)]);
    for (const kind of KINDS) {
      const f = figures[kind];
      if (f.crash) crashes[variant][kind] = f.crash;
      else {
        cpu[variant][kind].push(f.cpu);
        spans[variant][kind] = f.spans;
      }
    }
  }
}

const m = (v, k) => (cpu[v]?.[k]?.length ? median(cpu[v][k]) : undefined);
const traced = (v, k) => spans[v][k] !== undefined && spans[v][k] > (spans.floor[k] ?? 0);
const cell = (v, k) => {
  if (crashes[v][k]) return 'crashes';
  if (!traced(v, k)) return '–';
  return `+${us(m(v, k) - m('floor', k))} ±${us(spread(cpu[v][k]))}`;
};
console.log(`CPU per call above the floor, µs (median of ${ROUNDS} alternating rounds of ${CALLS} calls after ${WARMUP} warm-up; ± interquartile range)`);
console.log(`| call | bare | floor | ${PEERS.join(' | ')} |`);
console.log(`| --- | --- | --- | ${PEERS.map(() => '---').join(' | ')} |`);
for (const kind of KINDS) {
  const abs = (v) => (m(v, kind) === undefined ? '–' : `${us(m(v, kind))} ±${us(spread(cpu[v][kind]))}`);
  console.log(`| ${kind} | ${abs('bare')} | ${abs('floor')} | ${PEERS.map((v) => cell(v, kind)).join(' | ')} |`);
}
for (const v of VARIANTS) for (const [k, c] of Object.entries(crashes[v])) console.log(`${v} on ${k}: ${c}`);
// A chunk's cost: what the stream adds above the plain call, beyond what it adds at the floor, per chunk.
const perChunk = (v) => ((m(v, 'chat-stream-50') - m(v, 'chat')) - (m('floor', 'chat-stream-50') - m('floor', 'chat'))) / 50;
if (KINDS.includes('chat') && KINDS.includes('chat-stream-50')) console.log(`per streamed chunk above the floor (stream − plain, ÷ 50): ${PEERS.filter((v) => traced(v, 'chat-stream-50')).map((v) => `${v} ${perChunk(v).toFixed(1)} µs`).join(', ')}`);

// Where the costtrace variant's CPU goes: self time by function, per call kind.
const profiled = process.env.PROFILE === '0' ? {} : runChild(['costtrace', '--profile', '--kinds', KINDS.join(','), '--calls', String(PROFILE_CALLS), '--warmup', String(WARMUP)]);
const where = (url) => {
  const at = url.lastIndexOf('node_modules/');
  if (url.includes('/packages/')) return `@costtrace/${url.split('/packages/')[1].split('/')[0]}`;
  if (at < 0) return url.startsWith('node:') ? 'node' : url || 'native';
  const parts = url.slice(at + 'node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};
for (const kind of KINDS) {
  const profile = profiled[kind]?.profile;
  if (!profile) continue;
  const byNode = new Map();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map();
  const byPackage = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    // The in-process inspector session's own `dispatch` (stopping the profiler) is not the call's.
    if (node.callFrame.functionName === 'dispatch' && node.callFrame.url === '') continue;
    const t = byNode.get(node.id) ?? 0;
    total += t;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} (${where(url)}${url ? `:${lineNumber + 1}` : ''})`;
    self.set(key, (self.get(key) ?? 0) + t);
    byPackage.set(where(url), (byPackage.get(where(url)) ?? 0) + t);
  }
  const pct = (t) => `${((100 * t) / total).toFixed(1)}%`;
  const costtraceShare = [...byPackage].filter(([p]) => p.startsWith('@costtrace/')).reduce((s, [, t]) => s + t, 0);
  console.log(`\ncosttrace CPU profile, ${kind} (${PROFILE_CALLS} calls, self time): costtrace's own code ${pct(costtraceShare)} of samples`);
  console.log(`  by package: ${[...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([p, t]) => `${p} ${pct(t)}`).join(', ')}`);
  const top = [...self].filter(([k]) => k.includes('@costtrace/')).sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`  top costtrace functions: ${top.map(([k, t]) => `${k} ${pct(t)}`).join('; ')}`);
  const topAll = [...self].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(`  top functions overall: ${topAll.map(([k, t]) => `${k} ${pct(t)}`).join('; ')}`);
}
