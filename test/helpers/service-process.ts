import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Fixture, ModuleSystem } from './scenario-runner';
import { testRoot } from './workspace';

/** A long-running service (an HTTP server) in a child process under `@costtrace/register`. */
export interface ServiceProcess {
  readonly url: string;
  /** SIGTERM (register flushes its spans), then the exit; what the child wrote. */
  stop(): Promise<{ stdout: string; stderr: string; exitCode: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `file` (`.mjs` under ESM, `.cjs` under CommonJS) of a fixture dir with the preload
 * (`@costtrace/register`, or a file of the fixture dir), and
 * waits for it to print `LISTENING {port}`.
 */
export async function startService(opts: { fixture: Fixture; mode: ModuleSystem; file: string; env: Record<string, string>; preload?: string }): Promise<ServiceProcess> {
  const entry = `./${opts.file}.${opts.mode === 'esm' ? 'mjs' : 'cjs'}`;
  const preload = opts.preload ?? '@costtrace/register';
  const args = opts.mode === 'esm' ? ['--import', preload, entry] : ['--require', preload, entry];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: join(testRoot, 'sdk-versions', opts.fixture),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', OTEL_BSP_SCHEDULE_DELAY: '100', ...opts.env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service ${opts.file} did not start: ${stderr}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^LISTENING (\d+)$/m.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`service ${opts.file} exited before listening: ${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [exitCode, signal] = await exited;
      return { stdout, stderr, exitCode, signal };
    },
  };
}
