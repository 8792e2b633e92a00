import { globalSlot } from './global-slot';

/** A call whose span is still open, which shutdown can end. */
export interface OpenCall {
  /** Ends the call's span as `cancelled` (process shutting down). */
  endForShutdown(): void;
}

const MAX_OPEN_CALLS = 100_000;
const slot = globalSlot<Set<OpenCall>>('open_calls');

function openCalls(): Set<OpenCall> {
  let set = slot.get();
  if (!set) {
    set = new Set();
    slot.set(set);
  }
  return set;
}

/** Tracks a call until it ends. Returns false (untracked) past the bound. */
export function trackOpenCall(call: OpenCall): boolean {
  const set = openCalls();
  if (set.size >= MAX_OPEN_CALLS) return false;
  set.add(call);
  return true;
}

export function untrackOpenCall(call: OpenCall): void {
  slot.get()?.delete(call);
}

/** Number of model calls whose spans are open right now. */
export function openCallCount(): number {
  return slot.get()?.size ?? 0;
}

/**
 * Ends every open call's span as `cancelled`, so a process that exits with a
 * stream never read still exports its span. `register` calls it on shutdown.
 */
export function endOpenCalls(): number {
  const set = slot.get();
  if (!set) return 0;
  const calls = [...set];
  set.clear();
  for (const call of calls) call.endForShutdown();
  return calls.length;
}
