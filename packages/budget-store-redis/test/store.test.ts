import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisBudgetStore, runBudgetCommand } from '@costtrace/budget-store-redis';
import type { BudgetStoreEvent } from '@costtrace/budget-span-processor';
import { freePort, redisMissing, SKIP_REASON, startRedis, type RedisServer } from './redis-server';

const USD = 1_000_000_000_000n; // pico-USD per USD
const scope = (key: string, limitPico: bigint, enforce = true) => ({ key, limitPico, enforce });

describe.skipIf(redisMissing)(`RedisBudgetStore against a real redis-server${redisMissing ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  let redis: RedisServer;
  const stores: RedisBudgetStore[] = [];
  let n = 0;
  const store = (options: ConstructorParameters<typeof RedisBudgetStore>[0] = {}) => {
    const s = new RedisBudgetStore({ url: redis.url, keyPrefix: `t${++n}:`, ...options });
    stores.push(s);
    return s;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.shutdown()));
    diag.disable();
  });

  it('never lets concurrent reserves from eight processes pass the limit (the script checks and holds atomically)', async () => {
    const prefix = `race${n}:`;
    // Eight stores with their own connections: eight processes as Redis sees them. No lease slice,
    // so every reserve is a script call racing the others.
    const procs = Array.from({ length: 8 }, () => store({ keyPrefix: prefix, leaseRatio: 0 }));
    for (const p of procs) p.open('run');
    const limit = 1n * USD;
    const amount = USD / 10n; // ten fit
    const answers = await Promise.all(
      procs.flatMap((p) => Array.from({ length: 5 }, () => Promise.resolve(p.reserveShared([scope('run', limit)], amount)))),
    );
    expect(answers.filter((a) => a === -1)).toHaveLength(10);
    expect(answers.filter((a) => a === 0)).toHaveLength(30);
    const [listed] = await procs[0]!.list();
    expect(listed).toMatchObject({ key: 'run', limitUsd: 1, spentUsd: 0, reservedUsd: 1, stopped: false });
  });

  it('decides locally while the lease covers a call, and sends settled spend absolutely', async () => {
    const a = store({ leaseRatio: 0.5 });
    a.open('k');
    const limit = 1n * USD;
    // The first call claims its amount plus half the limit; the next fits in that lease: answered at once.
    expect(await a.reserveShared([scope('k', limit)], USD / 10n)).toBe(-1);
    expect(a.reserveShared([scope('k', limit)], USD / 10n)).toBe(-1);
    a.settle(['k'], USD / 10n, 0n, USD / 20n);
    a.settle(['k'], USD / 10n, 0n, USD / 20n);
    await until(async () => (await a.list())[0]?.spentUsd === 0.1);
    expect(a.get('k')).toEqual({ settledPico: USD / 10n, reservedPico: 0n, inflightPico: 0n });
  });

  it('does not admit a call locally on lease quota that settled spend has used', async () => {
    const a = store({ leaseRatio: 0.5 });
    a.open('k');
    const limit = 1n * USD;
    // Claims $0.90 plus a slice, capped by the limit: it holds the whole $1.
    expect(await a.reserveShared([scope('k', limit)], (USD * 9n) / 10n)).toBe(-1);
    a.settle(['k'], (USD * 9n) / 10n, 0n, (USD * 9n) / 10n);
    // $0.90 spent: $0.20 more does not fit, whatever the lease held.
    expect(await a.reserveShared([scope('k', limit)], USD / 5n)).toBe(0);
    expect(await a.reserveShared([scope('k', limit)], USD / 10n)).toBe(-1);
  });

  it('does not admit a call locally on lease quota that settled calls already spent', async () => {
    const a = store();
    a.open('k');
    const limit = (25n * USD) / 1000n; // $0.025
    const call = (8n * USD) / 1000n; // $0.008 reserved per call, $0.01 spent
    for (let i = 0; i < 2; i++) {
      expect(await a.reserveShared([scope('k', limit)], call)).toBe(-1);
      a.settle(['k'], call, 0n, (10n * USD) / 1000n);
    }
    // $0.02 spent: a third $0.008 would make $0.028. It is asked of Redis (a promise), which refuses.
    const third = a.reserveShared([scope('k', limit)], call);
    expect(typeof third).toBe('object');
    expect(await third).toBe(0);
  });

  it("reclaims a dead process's holds when its lease expires: the budget is whole again", async () => {
    const prefix = `dead${n}:`;
    const dead = store({ keyPrefix: prefix, leaseTtlMs: 300, leaseRatio: 0 });
    const live = store({ keyPrefix: prefix, leaseTtlMs: 300, leaseRatio: 0 });
    dead.open('run');
    live.open('run');
    const limit = 1n * USD;
    expect(await dead.reserveShared([scope('run', limit)], (USD * 9n) / 10n)).toBe(-1);
    // The other process cannot have more than what is left.
    expect(await live.reserveShared([scope('run', limit)], USD / 2n)).toBe(0);
    // The holder dies without a word: no release, no renewal.
    (dead as unknown as { _heartbeat: NodeJS.Timeout })._heartbeat.close();
    await (dead as unknown as { _link: { close(): Promise<void> } })._link.close();
    await until(async () => (await live.list())[0]?.reservedUsd === 0, 5000);
    expect(await live.reserveShared([scope('run', limit)], limit)).toBe(-1);
  });

  it('stop refuses new calls and tells every process; resume lets them through again', async () => {
    const prefix = `kill${n}:`;
    const a = store({ keyPrefix: prefix });
    const b = store({ keyPrefix: prefix });
    a.open('standing:agent=researcher:1d');
    b.open('standing:agent=researcher:1d');
    const events: BudgetStoreEvent[] = [];
    b.watch((e) => events.push(e));
    const req = [scope('standing:agent=researcher:1d', 1n * USD)];
    await b.listening();
    expect(await a.reserveShared(req, USD / 100n)).toBe(-1);
    await a.stop('standing:agent=researcher:1d');
    await until(async () => events.length > 0);
    expect(events).toEqual([{ kind: 'stopped', key: 'standing:agent=researcher:1d' }]);
    expect(b.reserveShared(req, USD / 100n)).toBe(0);
    expect(b.isStopped('standing:agent=researcher:1d')).toBe(true);
    await b.resume('standing:agent=researcher:1d');
    await until(async () => events.length > 1);
    expect(await b.reserveShared(req, USD / 100n)).toBe(-1);
  });

  it('tells every process when the total spend crosses the limit', async () => {
    const prefix = `cross${n}:`;
    const a = store({ keyPrefix: prefix, leaseRatio: 0 });
    const b = store({ keyPrefix: prefix, leaseRatio: 0 });
    a.open('run');
    b.open('run');
    const events: BudgetStoreEvent[] = [];
    b.watch((e) => events.push(e));
    await b.listening();
    const limit = 1n * USD;
    expect(await a.reserveShared([scope('run', limit)], USD / 2n)).toBe(-1);
    expect(await b.reserveShared([scope('run', limit)], USD / 2n)).toBe(-1);
    // Both stream past their reservations; a's running cost crosses the shared limit.
    b.charge(['run'], USD / 10n, (USD * 6n) / 10n);
    a.charge(['run'], USD / 10n, (USD * 6n) / 10n);
    await until(async () => events.some((e) => e.kind === 'crossed'));
    expect(events.find((e) => e.kind === 'crossed')).toEqual({ kind: 'crossed', key: 'run', spentPico: (USD * 12n) / 10n });
  });

  it('fails closed, with one warning naming the store, when Redis does not answer; never waits past the timeout', async () => {
    const warnings: string[] = [];
    diag.setLogger({ warn: (m: string) => warnings.push(m), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    const port = await freePort(); // nothing listens there
    const s = store({ url: `redis://127.0.0.1:${port}/0`, timeoutMs: 200 });
    s.open('run');
    const first = s.reserveShared([scope('run', USD)], USD / 10n);
    await expect(Promise.resolve(first)).rejects.toThrow(`redis://127.0.0.1:${port}/0`);
    // Known down now: refused at once, synchronously.
    expect(() => s.reserveShared([scope('run', USD)], USD / 10n)).toThrow(/unavailable/);
    expect(() => s.reserveShared([scope('run', USD)], USD / 10n)).toThrow(/unavailable/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`the shared budget store redis://127.0.0.1:${port}/0 is unavailable`);
    expect(warnings[0]).toContain('refused');
  });

  it('fails open by option: calls go through, one warning', async () => {
    const warnings: string[] = [];
    diag.setLogger({ warn: (m: string) => warnings.push(m), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    const port = await freePort();
    const s = store({ url: `redis://127.0.0.1:${port}/0`, timeoutMs: 200, failOpen: true });
    s.open('run');
    expect(await s.reserveShared([scope('run', USD)], USD / 10n)).toBe(-1);
    expect(await s.reserveShared([scope('run', USD)], USD / 10n)).toBe(-1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('let through');
  });

  it('costtrace budget list | stop | resume', async () => {
    const prefix = 'costtrace:budget:';
    const a = store({ keyPrefix: prefix });
    a.open('0123456789abcdef0123456789abcdef-0123456789abcdef');
    expect(await a.reserveShared([{ ...scope('0123456789abcdef0123456789abcdef-0123456789abcdef', USD), name: 'invoke_workflow nightly' }], USD / 4n)).toBe(-1);
    a.settle(['0123456789abcdef0123456789abcdef-0123456789abcdef'], USD / 4n, 0n, USD / 8n);
    await until(async () => (await a.list())[0]?.spentUsd === 0.125);
    await a.listening();
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, env: { COSTTRACE_BUDGET_STORE: redis.url } } };
    };
    const list = io();
    expect(await runBudgetCommand(['list'], list.io)).toBe(0);
    // Reserved: the process still holds the spare slice of its lease (2% of $1): the $0.25 its
    // call held is spent or given back.
    expect(list.out.stdout.split('\n')).toEqual([
      'SCOPE                                              NAME                     LIMIT_USD  SPENT_USD  RESERVED_USD  WINDOW  STATE',
      '0123456789abcdef0123456789abcdef-0123456789abcdef  invoke_workflow nightly  1.000000   0.125000   0.020000',
      '',
    ]);
    const stop = io();
    expect(await runBudgetCommand(['stop', 'invoke_workflow nightly'], stop.io)).toBe(0);
    expect(stop.out.stdout).toBe('stopped 1 scope: 0123456789abcdef0123456789abcdef-0123456789abcdef\n');
    await until(async () => a.isStopped('0123456789abcdef0123456789abcdef-0123456789abcdef'));
    const json = io();
    expect(await runBudgetCommand(['list', '--json', '--store', redis.url], json.io)).toBe(0);
    expect(JSON.parse(json.out.stdout)[0]).toMatchObject({ stopped: true, spentUsd: 0.125 });
    const resume = io();
    expect(await runBudgetCommand(['resume', '0123456789abcdef0123456789abcdef-0123456789abcdef'], resume.io)).toBe(0);
    await until(async () => !a.isStopped('0123456789abcdef0123456789abcdef-0123456789abcdef'));
    const missing = io();
    expect(await runBudgetCommand(['stop', 'nobody'], missing.io)).toBe(1);
    expect(missing.out.stderr).toContain('no scope "nobody"');
    const usage = io();
    expect(await runBudgetCommand(['frobnicate'], usage.io)).toBe(2);
  });
});

/** Polls a condition (the pub/sub and the asynchronous syncs), failing after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
