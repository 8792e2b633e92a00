import { isBoolean, parseBoolean, resolveOption } from '@costtrace/pipeline';

export const ENV_BUDGET_STORE = 'COSTTRACE_BUDGET_STORE';
export const ENV_FAIL_OPEN = 'COSTTRACE_BUDGET_STORE_FAIL_OPEN';
export const ENV_TIMEOUT_MS = 'COSTTRACE_BUDGET_STORE_TIMEOUT_MS';

const DAY_MS = 86_400_000;

/** Options of {@link RedisBudgetStore}. Every field is optional. */
export interface RedisBudgetStoreOptions {
  /**
   * The Redis (or Valkey) to share budgets through: `redis://[user:password@]host:port/db`
   * (`rediss://` for TLS).
   * @default env `COSTTRACE_BUDGET_STORE`, else `redis://127.0.0.1:6379/0`
   */
  url?: string;
  /**
   * When Redis cannot answer, let calls its lease does not cover through (counted locally
   * only) instead of refusing them.
   * @default env `COSTTRACE_BUDGET_STORE_FAIL_OPEN` (`true`/`false`), else false (fail closed)
   */
  failOpen?: boolean;
  /**
   * The longest any call waits on Redis (connect, or one script) before the store takes it as down.
   * @default env `COSTTRACE_BUDGET_STORE_TIMEOUT_MS`, else 1000
   */
  timeoutMs?: number;
  /**
   * How long a process's lease lives without renewal (renewed every third of it): the holds of
   * a process that died come back to the budget after at most this long.
   * @default 15000
   */
  leaseTtlMs?: number;
  /**
   * The slice of a scope's limit a process claims beyond what a call needs, so later calls
   * decide locally. Also how much of its running spend a process sends at a time. In [0, 0.5].
   * The overspend leasing adds is at most (processes × leaseRatio × limit); see the README.
   * @default 0.02
   */
  leaseRatio?: number;
  /** Prefix of every key and of the pub/sub channel. @default 'costtrace:budget:' */
  keyPrefix?: string;
  /** A scope's keys expire this long after their last write. @default 40 days (a monthly window fits) */
  keyTtlMs?: number;
  /** Most scopes open at once in this process; past it `open` returns false. @default 100000 */
  maxScopes?: number;
}

export interface ResolvedStoreOptions {
  readonly url: string;
  readonly failOpen: boolean;
  readonly timeoutMs: number;
  readonly leaseTtlMs: number;
  /** leaseRatio in parts per million. */
  readonly leasePpm: bigint;
  readonly keyPrefix: string;
  readonly keyTtlMs: number;
  readonly maxScopes: number;
}

const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

export function resolveStoreOptions(options: RedisBudgetStoreOptions, env: NodeJS.ProcessEnv): ResolvedStoreOptions {
  const opt = <T>(name: string, fromCode: unknown, envName: string | undefined, valid: (v: unknown) => boolean, fallback: T, parse?: (t: string) => unknown): T =>
    resolveOption<T>({ name, component: 'RedisBudgetStore', valid, fallback, ...(envName === undefined ? {} : { env: envName }), ...(parse ? { parse } : {}) }, fromCode, env);
  const url = opt('url', options.url, ENV_BUDGET_STORE, isRedisUrl, 'redis://127.0.0.1:6379/0', (t) => t.trim());
  const ratio = opt('leaseRatio', options.leaseRatio, undefined, (v) => typeof v === 'number' && v >= 0 && v <= 0.5, 0.02);
  return {
    url,
    failOpen: opt('failOpen', options.failOpen, ENV_FAIL_OPEN, isBoolean, false, parseBoolean),
    timeoutMs: opt('timeoutMs', options.timeoutMs, ENV_TIMEOUT_MS, positiveInt, 1000, Number),
    leaseTtlMs: opt('leaseTtlMs', options.leaseTtlMs, undefined, positiveInt, 15_000),
    leasePpm: BigInt(Math.round(ratio * 1_000_000)),
    keyPrefix: opt('keyPrefix', options.keyPrefix, undefined, (v) => typeof v === 'string', 'costtrace:budget:'),
    keyTtlMs: opt('keyTtlMs', options.keyTtlMs, undefined, positiveInt, 40 * DAY_MS),
    maxScopes: opt('maxScopes', options.maxScopes, undefined, positiveInt, 100_000),
  };
}

/** `redis://` or `rediss://` with a host. */
export function isRedisUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const u = new URL(value);
    return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    return false;
  }
}
