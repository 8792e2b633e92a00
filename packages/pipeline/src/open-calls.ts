import { registry, type OpenCall } from './registry';

const MAX_OPEN_CALLS = 100_000;

/** Tracks a call until it ends. Returns false (untracked) past the bound. */
export function trackOpenCall(call: OpenCall): boolean {
  const set = registry().openCalls;
  if (set.size >= MAX_OPEN_CALLS) return false;
  set.add(call);
  return true;
}

export function untrackOpenCall(call: OpenCall): void {
  registry().openCalls.delete(call);
}

/** Number of model calls whose spans are open right now. */
export function openCallCount(): number {
  return registry().openCalls.size;
}

/**
 * Ends every open call's span as `cancelled`, so a process that exits with a
 * stream never read still exports its span. `register` calls it on shutdown.
 */
export function endOpenCalls(): number {
  const set = registry().openCalls;
  const calls = [...set];
  set.clear();
  for (const call of calls) call.endForShutdown();
  return calls.length;
}
