import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { BudgetStore, BudgetStoreEvent, ReserveScope, ScopeLedger } from '@costtrace/budget-span-processor';
import { BudgetStoreUnavailableError, RedisLink } from './redis-link';
import { applySyncReply, fromNano, newScope, toNano, type SharedScope, type SyncReply, type Waiter } from './shared-scope';
import { listScopes, type ScopeListing } from './scope-listing';
import { StoreEvents } from './store-events';
import { resolveStoreOptions, type RedisBudgetStoreOptions, type ResolvedStoreOptions } from './store-options';

/** Spend under a lease slice waits at most this long before it is sent. */
const FLUSH_DELAY_MS = 50;

/**
 * A {@link BudgetStore} shared by every process that points at one Redis: a run's budget (or an
 * agent's, or a standing budget's) is spent once, whichever process or service makes the calls.
 *
 * Each process holds a lease of quota per scope (its `h:<lease>` in the scope's hash) and decides
 * locally while the lease covers a call; otherwise it asks Redis (one atomic script) for more.
 * Leases expire (`leaseTtlMs`) unless renewed, so the holds of a process that died are reclaimed.
 * Spend is written absolutely per lease (a retried write adds nothing twice). When a scope's
 * spend crosses its limit, or an operator stops it, every process is told on the store's
 * pub/sub channel and aborts its in-flight calls there. Redis down or slow: every wait is bounded
 * by `timeoutMs`; a call its lease does not cover is refused (or, with `failOpen`, let through);
 * one warning per outage.
 */
export class RedisBudgetStore implements BudgetStore {
  private readonly _o: ResolvedStoreOptions;
  private readonly _link: RedisLink;
  private readonly _scopes = new Map<string, SharedScope>();
  private readonly _events: StoreEvents;
  private readonly _processId: string;
  private _leases = 0;
  private readonly _heartbeat: NodeJS.Timeout;
  private _closed = false;
  private _stopping = false;
  private _flushTimer: NodeJS.Timeout | undefined;

  constructor(options: RedisBudgetStoreOptions = {}) {
    this._o = resolveStoreOptions(options, process.env);
    this._events = new StoreEvents(this._scopes, (scope) => this._kick(scope));
    this._processId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this._link = new RedisLink({
      url: this._o.url,
      timeoutMs: this._o.timeoutMs,
      failOpen: this._o.failOpen,
      channel: `${this._o.keyPrefix}events`,
      onMessage: (m) => this._events.message(m),
      onReady: () => {
        for (const scope of this._scopes.values()) this._kick(scope);
      },
    });
    // Renews this process's leases (and sends what changed) well before they expire.
    this._heartbeat = setInterval(() => this._renew(), Math.max(50, Math.floor(this._o.leaseTtlMs / 3)));
    this._heartbeat.unref();
  }

  /** Resolves once this process hears the store's messages (a stop missed is learnt at the next sync anyway). */
  listening(): Promise<void> {
    return this._link.listening();
  }

  /** The store's URL, password hidden. */
  get label(): string {
    return this._link.label;
  }

  get size(): number {
    return this._scopes.size;
  }

  open(key: string): boolean {
    if (this._scopes.has(key)) return true;
    if (this._scopes.size >= this._o.maxScopes) return false;
    const scope = newScope(key, `${this._processId}.${++this._leases}`);
    if (this._events.stoppedElsewhere(key)) scope.stopped = true;
    this._scopes.set(key, scope);
    return true;
  }

  reserve(scopes: readonly ReserveScope[], amountPico: bigint): number {
    const answer = this.reserveShared(scopes, amountPico);
    if (typeof answer === 'number') return answer;
    // A caller of the synchronous interface alone: admitted now. A refusal (or no answer) reserved
    // nothing, but the caller will release the amount as it settles: it is recorded after all.
    const keys = scopes.map((s) => s.key);
    answer.then(
      (index) => {
        if (index >= 0) this.charge(keys, amountPico, 0n);
      },
      () => this.charge(keys, amountPico, 0n),
    );
    return -1;
  }

  reserveShared(scopes: readonly ReserveScope[], amountPico: bigint): number | Promise<number> {
    const shared: (SharedScope | undefined)[] = scopes.map((s) => this._scopes.get(s.key));
    let uncovered: number[] | undefined;
    for (let i = 0; i < scopes.length; i++) {
      const req = scopes[i]!;
      const scope = shared[i];
      if (!scope) continue;
      scope.lastUseMs = Date.now();
      scope.limitPico = req.limitPico;
      scope.enforce = req.enforce;
      if (req.name !== undefined) scope.name = req.name;
      if (req.window !== undefined) scope.window = req.window;
      if (scope.stopped) return i;
      if (req.enforce && scope.reservedPico + scope.earmarkedPico + amountPico > scope.claimedPico) (uncovered ??= []).push(i);
    }
    if (uncovered === undefined) {
      this._commit(shared, amountPico);
      return -1;
    }
    if (this._link.down || this._closed) {
      if (this._o.failOpen) {
        this._commit(shared, amountPico);
        return -1;
      }
      throw new BudgetStoreUnavailableError(`the shared budget store ${this._link.label} is unavailable`);
    }
    return this._claimAll(shared, uncovered, amountPico);
  }

  private async _claimAll(shared: (SharedScope | undefined)[], uncovered: number[], amountPico: bigint): Promise<number> {
    const answers = await Promise.allSettled(uncovered.map((i) => this._claim(shared[i]!, amountPico)));
    let refused = -1;
    let failure: unknown;
    answers.forEach((answer, j) => {
      const scope = shared[uncovered[j]!]!;
      if (answer.status === 'fulfilled' && answer.value) scope.earmarkedPico -= amountPico;
      else if (answer.status === 'fulfilled') refused = refused >= 0 ? refused : uncovered[j]!;
      else failure ??= answer.reason;
    });
    if (refused >= 0) return refused;
    if (failure !== undefined) {
      if (!this._o.failOpen) throw failure;
    }
    this._commit(shared, amountPico);
    return -1;
  }

  /** Asks the shared ledger for `amountPico` more in one scope; true when granted (earmarked for the caller). */
  private _claim(scope: SharedScope, amountPico: bigint): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      scope.waiters.push({ amountPico, resolve, reject });
      this._kick(scope);
    });
  }

  private _commit(shared: readonly (SharedScope | undefined)[], amountPico: bigint): void {
    for (const scope of shared) {
      if (!scope) continue;
      scope.reservedPico += amountPico;
      if (scope.reservedPico + scope.earmarkedPico > scope.claimedPico) this._kick(scope);
    }
  }

  charge(keys: readonly string[], heldDeltaPico: bigint, actualDeltaPico: bigint): void {
    for (let i = 0; i < keys.length; i++) {
      const scope = this._scopes.get(keys[i]!);
      if (!scope) continue;
      scope.reservedPico += heldDeltaPico;
      scope.inflightPico += actualDeltaPico;
      // Running cost is sent when it outgrows the lease, or by a lease slice since the last send:
      // what Redis has not seen of this process's spend stays under one slice (see the README's bound).
      if (scope.reservedPico + scope.earmarkedPico > scope.claimedPico || this._unsent(scope) >= this._slice(scope)) this._kick(scope);
    }
  }

  settle(keys: readonly string[], heldPico: bigint, actualPico: bigint, costPico: bigint): void {
    for (let i = 0; i < keys.length; i++) {
      const scope = this._scopes.get(keys[i]!);
      if (!scope) continue;
      scope.reservedPico -= heldPico;
      // What the call held of the lease is spent (or given back): the lease shrinks by it, so a
      // later call is not admitted locally on quota that settled spend has already used.
      scope.claimedPico = scope.claimedPico > heldPico ? scope.claimedPico - heldPico : 0n;
      scope.consumedPico += heldPico;
      scope.inflightPico -= actualPico;
      scope.settledPico += costPico;
      scope.lastUseMs = Date.now();
      // Spend is sent once it adds up to a lease slice (or with the next sync, or shortly): what
      // Redis has not seen of this process's spend stays under one slice.
      if (this._unsent(scope) >= this._slice(scope)) this._kick(scope);
      else this._flushSoon(scope);
    }
  }

  private _unsent(scope: SharedScope): bigint {
    const run = scope.inflightPico - scope.sentRunPico;
    return scope.settledPico - scope.ackedSettledPico + (run < 0n ? -run : run);
  }

  private _flushSoon(scope: SharedScope): void {
    scope.dirty = true;
    if (this._flushTimer !== undefined) return;
    this._flushTimer = setTimeout(() => {
      this._flushTimer = undefined;
      for (const s of this._scopes.values()) if (s.dirty && !s.syncing) this._kick(s);
    }, FLUSH_DELAY_MS);
    this._flushTimer.unref();
  }

  get(key: string): ScopeLedger | undefined {
    const s = this._scopes.get(key);
    if (!s) return undefined;
    return {
      settledPico: s.othersSettledPico + s.settledPico,
      reservedPico: s.othersHeldPico + s.reservedPico,
      inflightPico: s.othersRunPico + s.inflightPico,
    };
  }

  close(key: string): void {
    const scope = this._scopes.get(key);
    if (!scope) return;
    // Its last sync releases this lease's holds in Redis; its settled cost stays.
    scope.release = true;
    scope.reservedPico = 0n;
    scope.inflightPico = 0n;
    scope.earmarkedPico = 0n;
    this._scopes.delete(key);
    this._kick(scope);
  }

  /** Brings this process's view of `keys` (the others' spend) up to date: a sync after any in flight. */
  async refresh(keys: readonly string[]): Promise<void> {
    for (const scope of keys.map((k) => this._scopes.get(k))) {
      if (scope) this._kick(scope);
      for (let i = 0; scope && (scope.syncing || scope.dirty) && !this._link.down && i < 500; i++) await new Promise((r) => setTimeout(r, 1));
    }
  }

  isStopped(key: string): boolean {
    return this._scopes.get(key)?.stopped ?? this._events.stoppedElsewhere(key);
  }

  watch(listener: (event: BudgetStoreEvent) => void): () => void {
    return this._events.watch(listener);
  }

  /** The kill switch: every process aborts its in-flight calls in the scope and refuses new ones until {@link resume}. */
  async stop(scopeKey: string): Promise<void> {
    await this._link.switch(this._hashKey(scopeKey), true, this._o.keyTtlMs, scopeKey);
  }

  async resume(scopeKey: string): Promise<void> {
    await this._link.switch(this._hashKey(scopeKey), false, this._o.keyTtlMs, scopeKey);
  }

  /** Every scope in the store, with its limit, spend, holds and window. */
  list(): Promise<ScopeListing[]> {
    return listScopes(this._link, this._o.keyPrefix, Date.now());
  }

  /** Releases this process's leases and closes the connections. */
  async shutdown(): Promise<void> {
    if (this._closed || this._stopping) return;
    // From here no sync is scheduled but the last ones below (one still in flight answers first:
    // same connection), so nothing claims a lease again after it is given back.
    this._stopping = true;
    clearInterval(this._heartbeat);
    if (this._flushTimer !== undefined) clearTimeout(this._flushTimer);
    const last: Promise<unknown>[] = [];
    for (const scope of this._scopes.values()) {
      scope.release = true;
      scope.reservedPico = 0n;
      scope.inflightPico = 0n;
      if (!this._link.down) last.push(this._send(scope).catch(() => {}));
    }
    await Promise.all(last);
    this._closed = true;
    this._scopes.clear();
    await this._link.close();
  }

  private _slice(scope: SharedScope): bigint {
    return (scope.limitPico * this._o.leasePpm) / 1_000_000n;
  }

  private _hashKey(scopeKey: string): string {
    return `${this._o.keyPrefix}scope:${scopeKey}`;
  }

  /** Schedules a sync of the scope: one at a time per scope; what changes meanwhile goes in the next. */
  private _kick(scope: SharedScope): void {
    if (this._closed || this._stopping) return;
    if (scope.syncing) {
      scope.dirty = true;
      return;
    }
    scope.syncing = true;
    scope.dirty = false;
    // A microtask: calls admitted in the same tick share one round trip.
    queueMicrotask(() => {
      this._send(scope).then(
        () => this._synced(scope),
        () => this._synced(scope),
      );
    });
  }

  private _synced(scope: SharedScope): void {
    scope.syncing = false;
    if (this._link.down) {
      // Calls that queued behind a sync that failed are answered now, never left waiting: the
      // store is down (their admission fails closed, or open by option).
      const unavailable = new BudgetStoreUnavailableError(`the shared budget store ${this._link.label} is unavailable`);
      for (const w of scope.waiters.splice(0)) w.reject(unavailable);
      return;
    }
    if (scope.dirty || scope.waiters.length > 0) this._kick(scope);
  }

  private async _send(scope: SharedScope): Promise<void> {
    const waiters = scope.waiters.splice(0);
    const busy = scope.reservedPico + scope.earmarkedPico;
    let asked = 0n;
    for (const w of waiters) asked += w.amountPico;
    // A lease is kept while the scope is in use, given back when it has been idle a renewal period.
    const keep = this._slice(scope) > 0n && !(scope.release && busy === 0n && waiters.length === 0);
    scope.release = false;
    const floor = keep && scope.claimedPico > busy ? scope.claimedPico : busy;
    const need = busy + asked > floor ? busy + asked : floor;
    const want = waiters.length > 0 ? need + this._slice(scope) : need;
    if (floor < scope.claimedPico) scope.claimedPico = floor;
    const run = scope.inflightPico;
    const settled = scope.settledPico;
    const consumed = scope.consumedPico;
    try {
      const reply = await this._link.sync(
        [this._hashKey(scope.key), `${this._o.keyPrefix}leases:${scope.key}`],
        [
          scope.leaseId,
          Date.now(),
          this._o.leaseTtlMs,
          toNano(scope.limitPico),
          scope.enforce ? 1 : 0,
          toNano(floor),
          toNano(need),
          toNano(want),
          toNano(run),
          toNano(settled),
          this._o.keyTtlMs,
          `${this._o.keyPrefix}events`,
          scope.key,
          scope.name ?? '',
          scope.window ?? '',
        ],
      );
      this._applyReply(scope, reply, run, settled, consumed, waiters);
    } catch (err) {
      for (const w of waiters) w.reject(err);
      scope.dirty = true;
      throw err;
    }
  }

  private _applyReply(scope: SharedScope, reply: SyncReply, run: bigint, settled: bigint, consumed: bigint, waiters: Waiter[]): void {
    const wasStopped = scope.stopped;
    applySyncReply(scope, reply, run, settled, consumed, waiters);
    if (scope.stopped !== wasStopped) this._events.emit({ kind: scope.stopped ? 'stopped' : 'resumed', key: scope.key });
  }

  private _renew(): void {
    if (this._link.down) {
      // Probes: a store that answers again is used again (its state is sent on 'ready', or here).
      this._link.ping().then(
        () => {
          for (const scope of this._scopes.values()) this._kick(scope);
        },
        () => {},
      );
      return;
    }
    const idleSince = Date.now() - this._o.leaseTtlMs / 3;
    for (const scope of this._scopes.values()) {
      if (scope.claimedPico > 0n && scope.reservedPico === 0n && scope.earmarkedPico === 0n && scope.lastUseMs < idleSince) scope.release = true;
      if (scope.claimedPico > 0n || scope.reservedPico > 0n || scope.inflightPico > 0n || scope.dirty) this._kick(scope);
    }
  }
}

export type { RedisBudgetStoreOptions };
