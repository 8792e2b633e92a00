/** A call waiting for quota from the shared ledger in one scope. */
export interface Waiter {
  readonly amountPico: bigint;
  resolve(granted: boolean): void;
  reject(err: unknown): void;
}

/**
 * One scope as this process sees it, money in pico-USD. Of the shared ledger's holds, this
 * process's is `claimedPico` (as Redis granted it); its calls hold `reservedPico` of it and
 * `earmarkedPico` is granted to calls whose other scopes are still being asked. What the other
 * processes hold, run and settled is as of the last answer from Redis.
 */
export interface SharedScope {
  readonly key: string;
  /** This scope instance's lease id in Redis (`<process id>.<n>`): a scope closed and opened again starts afresh. */
  readonly leaseId: string;
  limitPico: bigint;
  enforce: boolean;
  name: string | undefined;
  window: string | undefined;
  claimedPico: bigint;
  /** Lease used up by settled calls, cumulative: a sync answered after a settle does not give it back. */
  consumedPico: bigint;
  reservedPico: bigint;
  earmarkedPico: bigint;
  inflightPico: bigint;
  /** This process's settled cost in the scope, cumulative (written absolutely: a repeated sync adds nothing). */
  settledPico: bigint;
  /** The running cost Redis was last sent. */
  sentRunPico: bigint;
  /** The settled cost Redis last acknowledged from this lease. */
  ackedSettledPico: bigint;
  othersHeldPico: bigint;
  othersRunPico: bigint;
  /** Settled cost of the whole scope at the last answer, less this lease's share then. */
  othersSettledPico: bigint;
  stopped: boolean;
  /** Last reserve or settle here (ms): a lease idle for a renewal period is released. */
  lastUseMs: number;
  /** The next sync gives back the spare lease (nothing in flight, idle). */
  release: boolean;
  syncing: boolean;
  dirty: boolean;
  readonly waiters: Waiter[];
}

export function newScope(key: string, leaseId: string): SharedScope {
  return {
    key,
    leaseId,
    limitPico: 0n,
    enforce: true,
    name: undefined,
    window: undefined,
    claimedPico: 0n,
    consumedPico: 0n,
    reservedPico: 0n,
    earmarkedPico: 0n,
    inflightPico: 0n,
    settledPico: 0n,
    sentRunPico: 0n,
    ackedSettledPico: 0n,
    othersHeldPico: 0n,
    othersRunPico: 0n,
    othersSettledPico: 0n,
    stopped: false,
    lastUseMs: Date.now(),
    release: false,
    syncing: false,
    dirty: false,
    waiters: [],
  };
}

/** Pico-USD to the ledger's nano-USD, rounded up (holds and spend are never under-counted). */
export function toNano(pico: bigint): string {
  if (pico <= 0n) return '0';
  return ((pico + 999n) / 1000n).toString();
}

export function fromNano(nano: string | number | undefined): bigint {
  if (nano === undefined) return 0n;
  const text = typeof nano === 'number' ? String(Math.round(nano)) : nano.includes('.') || nano.includes('e') ? String(Math.round(Number(nano))) : nano;
  try {
    return BigInt(text) * 1000n;
  } catch {
    return 0n;
  }
}

/** What the sync script answers: this lease's hold, the scope's settled sum, the others' holds and running cost (nano-USD), stopped. */
export type SyncReply = [string, string, string, string, number];

/**
 * Applies a sync's answer to the local view of a scope, then answers the calls waiting on it:
 * each fits in the new lease or is refused. `run`, `settled` and `consumed` are what this process
 * had sent and used when the sync left.
 */
export function applySyncReply(scope: SharedScope, reply: SyncReply, run: bigint, settled: bigint, consumed: bigint, waiters: readonly Waiter[]): void {
  const [hold, settledAll, othersHeld, othersRun, stopped] = reply;
  // Calls that settled while this sync was in flight used part of the hold it answers with.
  const granted = fromNano(hold);
  const usedSince = scope.consumedPico - consumed;
  scope.claimedPico = granted > usedSince ? granted - usedSince : 0n;
  scope.sentRunPico = run;
  scope.ackedSettledPico = settled;
  // The ledger's settled sum holds this lease's (rounded up to nano-USD); the others' is the rest.
  const mine = fromNano(toNano(settled));
  const all = fromNano(settledAll);
  scope.othersSettledPico = all > mine ? all - mine : 0n;
  scope.othersHeldPico = fromNano(othersHeld);
  scope.othersRunPico = fromNano(othersRun);
  scope.stopped = stopped === 1;
  for (const w of waiters) {
    if (!scope.stopped && scope.reservedPico + scope.earmarkedPico + w.amountPico <= scope.claimedPico) {
      scope.earmarkedPico += w.amountPico;
      w.resolve(true);
    } else {
      w.resolve(false);
    }
  }
  // Calls admitted from the old lease while this was in flight, or running past it: hold them too.
  if (scope.reservedPico + scope.earmarkedPico > scope.claimedPico) scope.dirty = true;
}
