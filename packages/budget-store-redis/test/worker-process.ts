// Spawns test/fixtures/worker.mjs (a process with costtrace on a RedisBudgetStore, built packages)
// and reads its JSON lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface StreamResult {
  chunks: number;
  error: { name: string; budget: boolean; action: string; message: string } | null;
}

export interface WorkerResult {
  first: StreamResult[];
  second: StreamResult[];
  secondMs: number | undefined;
  warnings: string[];
  ms: number;
}

export interface WorkerConfig {
  redisUrl: string;
  fakeUrl: string;
  keyPrefix: string;
  traceId: string;
  spanId: string;
  limitUsd: number;
  scenario: string;
  mode: 'sdk' | 'fetch';
  streams: number;
  /** Print {"event":"streaming"} once every stream of the first round got a chunk. */
  announce?: boolean;
  /** Calls of a second round, started when the test writes "next". */
  after?: number;
  leaseTtlMs?: number;
  leaseRatio?: number;
  failOpen?: boolean;
  timeoutMs?: number;
}

export interface Worker {
  readonly child: ChildProcess;
  /** Resolves when the worker printed this event. */
  event(name: string): Promise<void>;
  /** The worker's result; rejects when it exits without one (or after `timeoutMs`: a hung call). */
  result(timeoutMs?: number): Promise<WorkerResult>;
  send(line: string): void;
  stderr(): string;
}

export function sharedRun() {
  return { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
}

export function startWorker(config: WorkerConfig): Worker {
  const child = spawn(process.execPath, [WORKER], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, WORKER_CONFIG: JSON.stringify(config), NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let buffer = '';
  const seen = new Set<string>();
  const waiting = new Map<string, (() => void)[]>();
  let result: WorkerResult | undefined;
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let msg: { event?: string } & Partial<WorkerResult>;
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        continue;
      }
      if (msg.event === 'result') result = msg as WorkerResult;
      if (msg.event) {
        seen.add(msg.event);
        for (const w of waiting.get(msg.event) ?? []) w();
        waiting.delete(msg.event);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    event(name) {
      if (seen.has(name)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.set(name, [...(waiting.get(name) ?? []), resolve]);
        void exited.then(() => reject(new Error(`worker exited before "${name}": ${stderr}`)));
      });
    },
    async result(timeoutMs = 30_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      if (!result) throw new Error(`worker exited ${code} without a result (a hung call is killed after ${timeoutMs} ms): ${stderr}`);
      return result;
    },
    send(line) {
      child.stdin!.write(`${line}\n`);
    },
    stderr: () => stderr,
  };
}
