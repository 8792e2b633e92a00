import { diag } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { PEEK_SCRIPT, SWITCH_SCRIPT, SYNC_SCRIPT } from './lua-scripts';

/** Marks an error as "the shared store did not answer", as opposed to a refusal. */
export const STORE_UNAVAILABLE = Symbol.for('costtrace.budgetStoreUnavailable');

/** The shared budget store could not answer in time (down, unreachable, too slow). */
export class BudgetStoreUnavailableError extends Error {
  readonly [STORE_UNAVAILABLE] = true;
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'BudgetStoreUnavailableError';
  }
}

type ScriptClient = Redis & {
  ctSync(...args: (string | number)[]): Promise<[string, string, string, string, number]>;
  ctPeek(...args: (string | number)[]): Promise<string[]>;
  ctSwitch(...args: (string | number)[]): Promise<number>;
};

export interface LinkOptions {
  url: string;
  timeoutMs: number;
  failOpen: boolean;
  channel: string;
  /** Called with each pub/sub message on the channel. */
  onMessage(message: string): void;
  /** Called when the connection is (again) ready: state written while it was down is synced. */
  onReady(): void;
}

/**
 * The two Redis connections (commands, and the subscription to the store's channel) with the
 * rules every call follows: a bounded wait (never a hung call), one warning per outage, and
 * sockets that never keep the process alive on their own (a pending command does, through its
 * own timer, until it answers or times out).
 */
export class RedisLink {
  readonly label: string;
  private readonly _client: ScriptClient;
  private readonly _sub: Redis;
  private _down = false;
  private readonly _subscribed: Promise<void>;
  private _everReady = false;
  private _waitReady: Promise<void> | undefined;
  private _closed = false;
  private _warnedOutage = false;

  constructor(private readonly _o: LinkOptions) {
    this.label = redactUrl(_o.url);
    const common = {
      // The socket's own connect timeout is not a caller's wait (those are bounded by `timeoutMs`
      // below): it starts as the app starts, and an app loading its modules can hold the event
      // loop past `timeoutMs` while the connection on loopback is already up. A short one there
      // timed out connections that had succeeded and warned of an outage that was not.
      connectTimeout: Math.max(_o.timeoutMs, 10_000),
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
      lazyConnect: false,
    };
    this._client = new Redis(_o.url, common) as ScriptClient;
    this._client.defineCommand('ctSync', { numberOfKeys: 2, lua: SYNC_SCRIPT });
    this._client.defineCommand('ctPeek', { numberOfKeys: 2, lua: PEEK_SCRIPT });
    this._client.defineCommand('ctSwitch', { numberOfKeys: 1, lua: SWITCH_SCRIPT });
    this._sub = new Redis(_o.url, common);
    for (const c of [this._client, this._sub]) {
      const unref = (): void => unrefClient(c);
      c.on('connecting', unref);
      c.on('connect', unref);
      c.on('reconnecting', unref);
      // ioredis emits 'error' for every failed connection attempt; the outage is warned about once, below.
      c.on('error', (err: unknown) => this._failed(err));
      // A lost connection is an outage at once (before the first reconnect attempt fails), so
      // calls are answered from here on instead of each waiting for its timeout.
      c.on('close', () => {
        if (c.status !== 'wait') this._failed(new Error('connection lost'));
      });
    }
    this._client.on('ready', () => {
      this._everReady = true;
      if (this._closed) return;
      this._up();
      this._o.onReady();
    });
    this._sub.on('message', (_channel: string, message: string) => this._o.onMessage(message));
    this._subscribed = this._sub.subscribe(_o.channel).then(
      () => {},
      (err: unknown) => this._failed(err),
    );
  }

  /** Resolves once this process listens on the channel (or that failed: the store is down). */
  listening(): Promise<void> {
    return this._subscribed;
  }

  /** True between a failed command (or connection) and the next answer. */
  get down(): boolean {
    return this._down;
  }

  sync(keys: [string, string], args: (string | number)[]): Promise<[string, string, string, string, number]> {
    return this._run('sync', () => this._client.ctSync(...keys, ...args));
  }

  peek(keys: [string, string], now: number): Promise<string[]> {
    return this._run('peek', () => this._client.ctPeek(...keys, now));
  }

  switch(key: string, stop: boolean, keyTtlMs: number, scopeKey: string): Promise<number> {
    return this._run('switch', () => this._client.ctSwitch(key, stop ? 1 : 0, keyTtlMs, this._o.channel, scopeKey));
  }

  ping(): Promise<string> {
    return this._run('ping', () => this._client.ping());
  }

  scan(pattern: string): Promise<string[]> {
    return this._run('scan', async () => {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await this._client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      return keys;
    });
  }

  /**
   * Runs one command, bounded by the timeout; a failure marks the store down (one warning per
   * outage). Before the first connection is up, the connection gets its own timeout first (a
   * process starting under load), so the longest wait is twice `timeoutMs`.
   */
  private _run<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (this._closed) return Promise.reject(new BudgetStoreUnavailableError(`the shared budget store ${this.label} is closed`));
    if (!this._everReady && !this._down) return this._firstReady().then(() => this._run(what, op));
    return new Promise<T>((resolve, reject) => {
      // A ref'd timer: a pending command keeps the process alive until it answers or gives up.
      const timer = setTimeout(() => {
        const err = new BudgetStoreUnavailableError(`the shared budget store ${this.label} did not answer a ${what} within ${this._o.timeoutMs} ms`);
        this._failed(err);
        reject(err);
      }, this._o.timeoutMs);
      op().then(
        (value) => {
          clearTimeout(timer);
          this._up();
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          const wrapped = new BudgetStoreUnavailableError(`the shared budget store ${this.label} failed a ${what}: ${messageOf(err)}`, err);
          this._failed(err);
          reject(wrapped);
        },
      );
    });
  }

  /** Waits for the first connection, at most `timeoutMs`; past it the store is down. */
  private _firstReady(): Promise<void> {
    this._waitReady ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (!this._everReady) this._failed(new Error(`could not connect within ${this._o.timeoutMs} ms`));
        resolve();
      }, this._o.timeoutMs);
      this._client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this._waitReady;
  }

  private _up(): void {
    if (!this._down) return;
    this._down = false;
    // The outage is over: a later one is warned about again.
    this._warnedOutage = false;
  }

  private _failed(err: unknown): void {
    if (this._closed || this._down) return;
    this._down = true;
    if (this._warnedOutage) return;
    this._warnedOutage = true;
    const what = this._o.failOpen
      ? 'calls under shared budgets that the local lease does not cover are let through, uncounted by other processes, until it answers'
      : 'calls under shared budgets that the local lease does not cover are refused until it answers (failOpen or COSTTRACE_BUDGET_STORE_FAIL_OPEN=true lets them through)';
    diag.warn(`costtrace: the shared budget store ${this.label} is unavailable (${messageOf(err)}); ${what}`);
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    // disconnect, not quit: QUIT would wait in the offline queue of a connection that is down.
    // Every command this store cares about has answered (or timed out) before this.
    for (const c of [this._client, this._sub]) c.disconnect();
  }
}

function unrefClient(client: Redis): void {
  const c = client as unknown as { stream?: { unref?: () => void }; reconnectTimeout?: { unref?: () => void } | null };
  c.stream?.unref?.();
  c.reconnectTimeout?.unref?.();
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'redis (unparseable URL)';
  }
}
