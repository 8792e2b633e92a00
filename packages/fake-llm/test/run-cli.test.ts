import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type RunningCli } from '../src/index';
import { openaiFor } from './clients';

const builtCli = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
let running: RunningCli | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function collect(): { lines: string[]; io: { out(line: string): void; err(line: string): void } } {
  const lines: string[] = [];
  return { lines, io: { out: line => lines.push(line), err: line => lines.push(line) } };
}

describe('runCli', () => {
  it('starts on port 0 and prints one machine-parseable line', async () => {
    const { lines, io } = collect();
    running = await runCli(['--port', '0'], io);
    expect(lines).toEqual([`fake-llm listening on ${running?.fake.url}`]);
    expect(lines[0]).toMatch(/^fake-llm listening on http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('loads a --script file with a queue, scenarios and a default reply', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-llm-'));
    const file = join(dir, 'replies.json');
    await writeFile(
      file,
      JSON.stringify({ defaultReply: { text: 'default' }, script: [{ text: 'first' }], scenarios: { x: [{ text: 'x1' }] } }),
    );
    try {
      running = await runCli(['--script', file], collect().io);
      const openai = openaiFor(running!.fake);
      const ask = (headers?: Record<string, string>) =>
        openai.chat.completions
          .create({ model: 'm', messages: [{ role: 'user', content: 'q' }] }, headers ? { headers } : undefined)
          .then(c => c.choices[0]?.message.content);
      expect(await ask()).toBe('first');
      expect(await ask({ 'x-fake-scenario': 'x' })).toBe('x1');
      expect(await ask()).toBe('default');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints usage for --help and starts nothing', async () => {
    const { lines, io } = collect();
    expect(await runCli(['--help'], io)).toBeUndefined();
    expect(lines[0]).toContain('usage: costtrace-fake-llm');
  });

  it('rejects a bad port', async () => {
    await expect(runCli(['--port', 'abc'], collect().io)).rejects.toThrow('--port: not a port: abc');
  });
});

// Needs `pnpm --filter @costtrace/fake-llm build` first (the package check builds before testing).
describe.skipIf(!existsSync(builtCli))('costtrace-fake-llm binary (skipped when dist/ is not built)', () => {
  it('prints its URL, serves requests and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [builtCli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /fake-llm listening on (http:\/\/\S+)\n/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', code => reject(new Error(`exited early with ${code}`)));
        setTimeout(() => reject(new Error('no URL printed within 10 s')), 10_000).unref();
      });
      const res = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        body: JSON.stringify({ model: 'claude', max_tokens: 3, messages: [{ role: 'user', content: 'q' }] }),
      });
      expect(await res.json()).toMatchObject({ type: 'message', usage: { output_tokens: 3 } });
      const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
