import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/index';
import type { Report } from '../../src/index';
import { writeFleetSpanFile } from './fleet-fixture';

/** Runs `costtrace …` in process; returns the exit code, stdout and stderr lines. */
export async function costtrace(argv: string[], now = new Date('2026-11-29T12:00:00Z')) {
  let out = '';
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => (out += t), err: (l) => err.push(l), now: () => now });
  return { code, out, err };
}

/** `costtrace report … --format json`, parsed. */
export async function reportJson(argv: string[]): Promise<Report> {
  const run = await costtrace(['report', ...argv, '--format', 'json']);
  if (run.code !== 0) throw new Error(run.err.join('\n'));
  return JSON.parse(run.out) as Report;
}

/** A temp dir holding the fleet's span file. */
export async function fleetFile(): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'costtrace-cli-'));
  const file = join(dir, 'spans.jsonl');
  await writeFleetSpanFile(file);
  return { dir, file };
}
