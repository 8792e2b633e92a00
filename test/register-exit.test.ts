// How long a finished app takes to exit under `node --import/--require @costtrace/register`
// when the OTLP collector cannot be reached: refused (nothing listening) or a black hole
// (accepts connections, never answers), for traces and for metrics.
import { afterAll, describe, expect, it } from 'vitest';
import { useDeadCollectors } from './helpers/dead-collector';
import { useRun, useServers } from './helpers/e2e';
import type { ModuleSystem, RunResult } from './helpers/scenario-runner';

// Measured from the app's last line of work to the process's exit. Before the fix these took
// 8 to 15 s (the child's own 15 s watchdog ended some of them); the exit deadline is 1.5 s.
// Not covered (see the register README): a busy app whose last exports are still retrying
// against a refused collector exits when the exporter gives up (up to its 10 s timeout).
// The bound leaves room for a loaded 2-core machine while still telling 2 s from 10.
const EXIT_BOUND_MS = 6_000;

// The only lines costtrace may print here: one per signal whose export failed, one at exit
// when telemetry could not be sent in time, and the SDK's own line when its queue overflows.
// No stack traces.
const DOCUMENTED_WARNINGS = [
  /^\[costtrace\] warn: Dropped \d+ spans because maxQueueSize reached$/,
  /^\[costtrace\] warn: costtrace: could not export (spans|metrics) to http:\/\/127\.0\.0\.1:\d+\/v1\/(traces|metrics) \(.+\); further export errors are logged at debug level$/,
  /^\[costtrace\] warn: costtrace: telemetry not exported within 1500 ms of exit \(collector unreachable\?\); exiting without it$/,
];

function expectQuickCleanExit(run: RunResult): void {
  expect([run.exitCode, run.signal]).toEqual([0, null]);
  expect(run.finishedToExitMs).toBeLessThan(EXIT_BOUND_MS);
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines.length).toBeLessThanOrEqual(4);
  for (const line of lines) expect(DOCUMENTED_WARNINGS.some((re) => re.test(line)), line).toBe(true);
}

const measured: string[] = [];
afterAll(() => {
  // Recorded for the report: the exit time of every case.
  process.stdout.write(`exit times after the app finished (ms):\n${measured.join('\n')}\n`);
});

describe.each(['esm', 'cjs'] as ModuleSystem[])('exit with the collector down, %s', (mode) => {
  const servers = useServers();
  const dead = useDeadCollectors();
  const opts = { fixture: 'mixed' as const, mode, scenarios: ['openai/chat-basic'] };
  const traces = (url: () => string) => () => ({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${url()}/v1/traces`, OTEL_METRICS_EXPORTER: 'none' });
  const metrics = (url: () => string, interval?: string) => () => ({
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${url()}/v1/metrics`,
    OTEL_TRACES_EXPORTER: 'none',
    ...(interval ? { OTEL_METRIC_EXPORT_INTERVAL: interval } : {}),
  });

  const cases: Array<[string, () => Record<string, string>, string[]?]> = [
    ['traces, refused', traces(() => dead().refused)],
    ['traces, black hole', traces(() => dead().blackHole)],
    ['traces, black hole, full export queue', traces(() => dead().blackHole), ['register/many-spans']],
    ['metrics, refused', metrics(() => dead().refused)],
    ['metrics, black hole', metrics(() => dead().blackHole)],
    ['metrics every 5 s, refused', metrics(() => dead().refused, '5000')],
    ['metrics every 5 s, black hole', metrics(() => dead().blackHole, '5000')],
  ];
  for (const [name, env, scenarios] of cases) {
    const run = useLazyEnvRun(servers, { ...opts, ...(scenarios ? { scenarios } : {}), tag: name.replace(/\W+/g, '-') }, env);
    it(`${name}: exits within ${EXIT_BOUND_MS} ms of finishing, code 0, with at most the documented warnings`, () => {
      measured.push(`  ${mode} ${name}: ${run().finishedToExitMs}`);
      expect(Object.values(run().outcomes).every((o) => o.error === undefined)).toBe(true);
      expectQuickCleanExit(run());
    });
  }
});

/** useRun with env built when the run starts (the dead collectors' ports are known only then). */
function useLazyEnvRun(
  servers: ReturnType<typeof useServers>,
  opts: Omit<Parameters<typeof useRun>[1], 'env'>,
  env: () => Record<string, string>,
): () => RunResult {
  const holder: Record<string, string> = {};
  const run = useRun(
    servers,
    {
      ...opts,
      get env() {
        Object.assign(holder, env());
        return holder;
      },
    },
    { concurrent: true },
  );
  return run;
}
