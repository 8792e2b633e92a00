import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's `prometheus` package puts both binaries here. */
export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const PROMTOOL_BIN = '/usr/bin/promtool';

/**
 * Why a test needing `bin` is skipped, or undefined when it runs. Absent binary: skipped with the
 * reason outside CI; under CI=true the test runs and fails (an absent binary is a failure there).
 */
export function skipReason(bin: string, pkg: string): string | undefined {
  if (existsSync(bin) || process.env.CI) return undefined;
  return `${bin} is absent (apt-get install ${pkg}); under CI=true this is a failure`;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface Prometheus {
  url: string;
  /** An instant query at `timeMs` (default now); a vector result as samples. */
  query(expr: string, timeMs?: number): Promise<PromSample[]>;
  /** GET an API path, the `data` of its JSON answer. */
  api(path: string): Promise<any>;
  stop(): Promise<void>;
}

/** Starts `/usr/bin/prometheus` on a free loopback port with a temp dir and the given config text. */
export async function startPrometheus(configText: string): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'costtrace-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, configText);
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const api = async (path: string): Promise<any> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error}`);
    return body.data;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || i > 300) {
      await stop();
      throw new Error(`Prometheus did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    api,
    stop,
    async query(expr, timeMs) {
      const time = timeMs === undefined ? '' : `&time=${(timeMs / 1000).toFixed(3)}`;
      const data = await api(`/api/v1/query?query=${encodeURIComponent(expr)}${time}`);
      if (data.resultType === 'scalar') return [{ metric: {}, value: Number(data.result[1]) }];
      return (data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
  };
}

/** Polls `check` until it returns a value that is not undefined (every 200 ms, up to `timeoutMs`). */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Prometheus's histogram_quantile over one set of observations and explicit bucket bounds (the
 * linear interpolation inside the bucket holding the rank; +Inf gives the last finite bound), so a
 * test can compute from the spans what a dashboard query must return.
 */
export function histogramQuantile(q: number, observations: number[], bounds: readonly number[]): number {
  const upper = [...bounds, Infinity];
  const cumulative = upper.map((b) => observations.filter((o) => o <= b).length);
  const total = cumulative[cumulative.length - 1]!;
  if (total === 0) return NaN;
  const rank = q * total;
  const b = cumulative.findIndex((c) => c >= rank);
  if (b === upper.length - 1) return upper[upper.length - 2]!;
  const start = b === 0 ? 0 : upper[b - 1]!;
  const below = b === 0 ? 0 : cumulative[b - 1]!;
  return start + (upper[b]! - start) * ((rank - below) / (cumulative[b]! - below));
}
