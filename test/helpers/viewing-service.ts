import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeLlm } from '@costtrace/fake-llm';
import type { OtlpReceiver } from './otlp-receiver';
import { freePort, waitUntil } from './prometheus-server';
import { runScenarios, type RunOptions, type RunResult } from './scenario-runner';

/** As test/scenarios/viewing/service.mjs: batch B's ordinary research runs. */
export const NORMAL_RUNS_B = 40;

/**
 * Runs test/scenarios/viewing/service.mjs under `@costtrace/register` with
 * OTEL_METRICS_EXPORTER=prometheus on a free loopback port; `afterA` runs once batch A is done
 * (before batch B starts), `afterB` once batch B is done (before the service exits).
 */
export async function runViewingService(
  servers: { fake: () => FakeLlm; receiver: () => OtlpReceiver },
  hooks: { metricsPort?: number; afterA?: () => Promise<void>; afterB?: () => Promise<void>; preloadFirst?: RunOptions['preloadFirst'] } = {},
): Promise<{ run: RunResult; metricsPort: number }> {
  const metricsPort = hooks.metricsPort ?? (await freePort());
  const tmp = mkdtempSync(join(tmpdir(), 'costtrace-viewing-'));
  const release = join(tmp, 'release');
  const running = runScenarios({
    fixture: 'mixed',
    mode: 'esm',
    scenarios: ['viewing/service'],
    ...(hooks.preloadFirst ? { preloadFirst: hooks.preloadFirst } : {}),
    fake: servers.fake(),
    receiver: servers.receiver(),
    env: {
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      COSTTRACE_VIEWING_RELEASE: release,
    },
  });
  let ended: RunResult | undefined;
  void running.then((r) => (ended = r));
  const file = (path: string) => async (): Promise<true | undefined> => {
    if (existsSync(path)) return true;
    if (ended) throw new Error(`the service ended early: ${JSON.stringify(ended.outcomes['viewing/service']?.error)} ${ended.stderr}`);
    return undefined;
  };
  try {
    await waitUntil('batch A', file(`${release}.batch-a`));
    await hooks.afterA?.();
    writeFileSync(release, '');
    await waitUntil('batch B', file(`${release}.batch-b`), 60_000);
    await hooks.afterB?.();
  } finally {
    writeFileSync(release, '');
    writeFileSync(`${release}.done`, '');
  }
  const run = await running;
  rmSync(tmp, { recursive: true, force: true });
  return { run, metricsPort };
}
