// `costtrace budget` through the built bin (the @costtrace/cli package dispatching to
// @costtrace/budget-store-redis), against a real redis-server: the operator's kill switch as a
// user runs it. What a stop does to calls in flight is tested in packages/budget-store-redis.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing, SKIP_REASON, startRedis, type RedisServer } from '../packages/budget-store-redis/test/redis-server';
import { repoRoot } from './helpers/workspace';

const bin = join(repoRoot, 'packages/cli/dist/cli.cjs');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function costtrace(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const childEnv = { ...process.env, ...env };
  if (!('COSTTRACE_BUDGET_STORE' in env)) delete childEnv.COSTTRACE_BUDGET_STORE;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { encoding: 'utf8', env: childEnv, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(redisMissing)(`costtrace budget (the bin) against a real Redis${redisMissing ? `: skipped, ${SKIP_REASON}` : ''}`, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.close();
  });

  it('stops a standing scope in advance, lists it stopped, and resumes it (store from COSTTRACE_BUDGET_STORE or --store)', async () => {
    const key = 'standing:support-daily:agent=support:2026-11-29';
    expect(await costtrace(['budget', 'stop', key, '--store', redis.url])).toEqual({ code: 0, stdout: `stopped 1 scope: ${key}\n`, stderr: '' });
    const listed = await costtrace(['budget', 'list', '--json'], { COSTTRACE_BUDGET_STORE: redis.url });
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    const scopes = JSON.parse(listed.stdout) as Array<{ key: string; stopped: boolean }>;
    expect(scopes.map((s) => [s.key, s.stopped])).toEqual([[key, true]]);
    const table = await costtrace(['budget', 'list', '--store', redis.url]);
    expect(table.stdout.split('\n')[0]).toMatch(/^SCOPE\s+NAME\s+LIMIT_USD\s+SPENT_USD\s+RESERVED_USD\s+WINDOW\s+STATE$/);
    expect(table.stdout).toMatch(new RegExp(`^${key}\\s.*stopped$`, 'm'));
    expect(await costtrace(['budget', 'resume', key, '--store', redis.url])).toEqual({ code: 0, stdout: `resumed 1 scope: ${key}\n`, stderr: '' });
    const after = JSON.parse((await costtrace(['budget', 'list', '--json', '--store', redis.url])).stdout) as Array<{ key: string; stopped: boolean }>;
    expect(after.filter((s) => s.stopped)).toEqual([]);
  }, 60_000);

  it('says what is missing when no store is named, and which scope it cannot find', async () => {
    const none = await costtrace(['budget', 'list']);
    expect(none).toEqual({ code: 2, stdout: '', stderr: 'costtrace budget: no shared store: pass --store redis://host:port/db or set COSTTRACE_BUDGET_STORE\n' });
    const unknown = await costtrace(['budget', 'stop', 'nobody', '--store', redis.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^costtrace budget: no scope "nobody" in .* \(see costtrace budget list\)\n$/);
  }, 60_000);
});
