// Processes sharing one run budget through a real redis-server: each a child process with costtrace
// on a RedisBudgetStore (built packages: run `pnpm build` first), the OpenAI SDK (openai 6, whose
// calls take the synchronous SDK-level gate) or plain fetch (the asynchronous wire-level gate),
// streaming from fake-llm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '@costtrace/fake-llm';
import { RedisBudgetStore, runBudgetCommand } from '@costtrace/budget-store-redis';
import { redisMissing, SKIP_REASON, startRedis, type RedisServer } from './redis-server';
import { sharedRun, startWorker, type StreamResult, type WorkerConfig } from './worker-process';

// gpt-4.1: $8 per million output tokens; fake-llm sends 50 tokens a chunk: $0.0004 a chunk. With
// no max_tokens a call reserves 1024 output tokens ($0.0082) and is charged past that as it streams.
const CHUNK_USD = 50 * 8e-6;
const slowStream = { usage: { inputTokens: 20, outputTokens: 10_000 }, chunks: 200, chunkDelayMs: 15 };
const endless = { usage: { inputTokens: 20, outputTokens: 200_000 }, chunks: 4000, chunkDelayMs: 15 };

describe.skipIf(redisMissing)(`a run budget shared by processes through Redis${redisMissing ? ` (skipped: ${SKIP_REASON})` : ''}`, { timeout: 90_000 }, () => {
  let redis: RedisServer;
  let fake: FakeLlm;
  let n = 0;
  const scenario = (reply: object) => {
    const name = `shared-${++n}`;
    fake.onRequest((req) => (req.scenario === name ? reply : undefined));
    return name;
  };
  const base = (over: Partial<WorkerConfig>): WorkerConfig => ({
    redisUrl: redis.url,
    fakeUrl: fake.url,
    keyPrefix: 'costtrace:budget:',
    ...sharedRun(),
    limitUsd: 1,
    scenario: 'none',
    mode: 'sdk',
    streams: 1,
    // Four node processes starting at once on a busy machine: a generous bound on each Redis wait.
    timeoutMs: 5000,
    ...over,
  });
  const list = async (key: string) => {
    const s = new RedisBudgetStore({ url: redis.url });
    try {
      return (await s.list()).find((l) => l.key === key);
    } finally {
      await s.shutdown();
    }
  };

  beforeAll(async () => {
    [redis, fake] = await Promise.all([startRedis(), startFakeLlm()]);
  });
  afterAll(async () => {
    await Promise.all([redis?.close(), fake?.close()]);
  });

  it('four processes with five streams each (no max_tokens) share a $0.50 run budget: every stream is aborted when the total crosses, within the stated bound', async () => {
    const run = sharedRun();
    const name = scenario(slowStream);
    const workers = (['sdk', 'sdk', 'fetch', 'fetch'] as const).map((mode) => startWorker(base({ ...run, mode, streams: 5, limitUsd: 0.5, scenario: name })));
    const results = await Promise.all(workers.map((w) => w.result(60_000)));
    for (const [i, r] of results.entries()) {
      expect(r.first, `worker ${i}`).toHaveLength(5);
      for (const s of r.first) expect(s.error, `worker ${i}: ${JSON.stringify(s)}`).toMatchObject({ name: 'BudgetExceededError', budget: true, action: 'aborted' });
    }
    // fake-llm saw every stream closed early: the requests really stopped.
    const reqs = fake.requests.filter((r) => r.scenario === name);
    expect(reqs).toHaveLength(20);
    for (const r of reqs) expect([r.clientClosedEarly, r.completed]).toEqual([true, false]);
    const listed = await list(`${run.traceId}-${run.spanId}`);
    expect(listed).toMatchObject({ limitUsd: 0.5, reservedUsd: 0, stopped: false, holders: 0 });
    // The bound (README): the limit, plus one lease slice per process (4 × 2% × $0.50) that Redis had
    // not yet seen, plus what each of the 20 streams received while the crossing travelled (a few
    // chunks each at most: five allowed here).
    const bound = 0.5 + 4 * 0.02 * 0.5 + 20 * 5 * CHUNK_USD;
    expect(listed!.spentUsd).toBeGreaterThan(0.5);
    expect(listed!.spentUsd).toBeLessThanOrEqual(bound);
  });

  it("a process killed mid-call: its hold stays while its lease is renewed, and is released when the lease expires; the budget is whole again", async () => {
    const run = sharedRun();
    const key = `${run.traceId}-${run.spanId}`;
    const w = startWorker(base({ ...run, streams: 1, announce: true, leaseTtlMs: 600, scenario: scenario(endless) }));
    await w.event('streaming');
    // The SDK-level call went out before its claim reached Redis (the provisional admission): the
    // hold shows up once the claim has landed.
    let held = await list(key);
    for (const end = Date.now() + 10_000; !(held && held.reservedUsd > 0) && Date.now() < end; held = await list(key)) await new Promise((r) => setTimeout(r, 50));
    expect(held!.reservedUsd).toBeGreaterThan(0);
    // Alive: renewed every third of the lease, so it outlives one lease.
    await new Promise((r) => setTimeout(r, 900));
    expect((await list(key))!.reservedUsd).toBeGreaterThan(0);
    w.child.kill('SIGKILL');
    await expect(w.result()).rejects.toThrow(/without a result/);
    let after = await list(key);
    for (const end = Date.now() + 10_000; after!.reservedUsd > 0 && Date.now() < end; after = await list(key)) await new Promise((r) => setTimeout(r, 50));
    expect(after).toMatchObject({ limitUsd: 1, spentUsd: 0, reservedUsd: 0, holders: 0 });
    // Whole: another process gets all of it.
    const other = new RedisBudgetStore({ url: redis.url });
    other.open(key);
    expect(await other.reserveShared([{ key, limitPico: 1_000_000_000_000n, enforce: true }], 1_000_000_000_000n)).toBe(-1);
    await other.shutdown();
  });

  it('costtrace budget stop aborts the in-flight calls of two processes and refuses new ones until resume', async () => {
    const run = sharedRun();
    const key = `${run.traceId}-${run.spanId}`;
    const name = scenario(endless);
    const workers = (['sdk', 'fetch'] as const).map((mode) => startWorker(base({ ...run, mode, streams: 5, announce: true, after: 1, limitUsd: 10, scenario: name })));
    await Promise.all(workers.map((w) => w.event('streaming')));
    const out = { stdout: '', stderr: '' };
    const io = { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, env: {} };
    expect(await runBudgetCommand(['stop', key, '--store', redis.url], io)).toBe(0);
    expect(out.stdout).toBe(`stopped 1 scope: ${key}\n`);
    await Promise.all(workers.map((w) => w.event('waiting')));
    for (const w of workers) w.send('next');
    const results = await Promise.all(workers.map((w) => w.result()));
    for (const r of results) {
      for (const s of r.first) expect(s.error).toMatchObject({ budget: true, action: 'aborted', message: expect.stringContaining('stopped by an operator') });
      expect(r.second).toHaveLength(1);
      expect(r.second[0]!.error).toMatchObject({ budget: true, action: 'refused', message: expect.stringContaining('costtrace budget resume') });
    }
    expect(await list(key)).toMatchObject({ stopped: true });
    expect(await runBudgetCommand(['resume', key, '--store', redis.url], io)).toBe(0);
    expect(await list(key)).toMatchObject({ stopped: false });
  });

  describe.each([
    ['fail closed: refused', false],
    ['failOpen: let through', true],
  ])('Redis stopped mid-run, %s, one warning, no call hangs', (_title, failOpen) => {
    afterAll(async () => {
      await redis.start();
    });
    it.each(['sdk', 'fetch'] as const)('%s calls', async (mode) => {
      // Streams longer than the store's timeout: an SDK-level call sent before the store's answer
      // is stopped when the answer (a refusal, or none in time) comes.
      const name = scenario({ usage: { inputTokens: 20, outputTokens: 100 }, chunks: 100, chunkDelayMs: 30 });
      const w = startWorker(base({ mode, streams: 2, after: 3, leaseRatio: 0, timeoutMs: 1500, failOpen, scenario: name }));
      await w.event('waiting');
      await redis.stop();
      w.send('next');
      const r = await w.result(20_000);
      for (const s of r.first) expect(s.error).toBeNull();
      expect(r.second).toHaveLength(3);
      if (failOpen) for (const s of r.second) expect(s).toEqual<StreamResult>({ chunks: expect.any(Number), error: null });
      else for (const s of r.second) expect(s.error).toMatchObject({ budget: true, action: 'refused', message: expect.stringContaining(redis.url) });
      const storeWarnings = r.warnings.filter((m) => m.includes('budget store'));
      expect(storeWarnings, r.warnings.join('\n')).toHaveLength(1);
      expect(storeWarnings[0]).toContain(failOpen ? 'let through' : 'refused');
      await redis.start();
    });
  });
});
