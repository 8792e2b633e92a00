// COSTTRACE_BUDGET_STORE=redis://… under `node --import @costtrace/register`: the budget processor
// register builds keeps its budgets in that Redis, and the app exits on its own when it is done
// (the store's connections never hold the process open).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '@costtrace/fake-llm';
import { RedisBudgetStore } from '@costtrace/budget-store-redis';
import { redisMissing, SKIP_REASON, startRedis, type RedisServer } from '../packages/budget-store-redis/test/redis-server';
import { testRoot } from './helpers/workspace';

const run = promisify(execFile);

const APP = `
import { trace } from '@opentelemetry/api';
import OpenAI from 'openai';
const openai = new OpenAI({ baseURL: process.env.FAKE_URL + '/v1', apiKey: 'test', maxRetries: 0 });
await trace.getTracer('app').startActiveSpan('nightly job', async (span) => {
  const stream = await openai.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  for await (const _ of stream);
  span.end();
});
console.log('done');
`;

describe.skipIf(redisMissing)(`COSTTRACE_BUDGET_STORE selects the Redis store${redisMissing ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  let redis: RedisServer;
  let fake: FakeLlm;
  beforeAll(async () => {
    [redis, fake] = await Promise.all([startRedis(), startFakeLlm()]);
  });
  afterAll(async () => {
    await Promise.all([redis?.close(), fake?.close()]);
  });

  it("keeps the run's budget in Redis and exits when the app is done", async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', '@costtrace/register', '--input-type=module', '-e', APP], {
      cwd: join(testRoot, 'sdk-versions', 'openai-v6'),
      env: {
        ...process.env,
        FAKE_URL: fake.url,
        COSTTRACE_BUDGET_STORE: redis.url,
        COSTTRACE_DEFAULT_RUN_BUDGET_USD: '1',
        COSTTRACE_FETCH_BASE_URLS: fake.url,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
      },
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('done');
    expect(stderr).toBe('');
    const store = new RedisBudgetStore({ url: redis.url });
    try {
      const scopes = await store.list();
      expect(scopes).toHaveLength(1);
      // One gpt-4.1 call: fake-llm's default reply, settled; its hold released at exit.
      expect(scopes[0]).toMatchObject({ name: 'nightly job', limitUsd: 1, reservedUsd: 0, stopped: false, holders: 0 });
      expect(scopes[0]!.spentUsd).toBeGreaterThan(0);
    } finally {
      await store.shutdown();
    }
  });
});
