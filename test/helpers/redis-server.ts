// The root tests' Redis: the same server helper as @costtrace/budget-store-redis's own tests (a
// redis-server spawned on a free loopback port with a temp dir, no persistence), under the names
// these tests use.
import { existsSync } from 'node:fs';
import { REDIS_BINARY, startRedis as startTestRedis } from '../../packages/budget-store-redis/test/redis-server';

/** A redis-server this test file started; `stop` kills it and removes its temp dir. */
export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Why tests that share a store across processes cannot run here, or undefined when they can.
 * Under CI an absent binary is a failure, not a skip (the caller throws the reason).
 */
export function redisSkipReason(): string | undefined {
  return existsSync(REDIS_BINARY) ? undefined : `${REDIS_BINARY} is not installed (apt-get install redis-server)`;
}

export async function startRedis(): Promise<RedisServer> {
  const server = await startTestRedis();
  return { url: server.url, stop: () => server.close() };
}
