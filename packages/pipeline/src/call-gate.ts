import { registry } from './registry';
import type { CallGate, CallTicket, UnpatchedModule } from './types';

const MAX_UNPATCHED = 32;

/**
 * Installs the process's call gate and returns a function that removes it
 * again (only if it is still the installed one). There is one gate per
 * process; whoever wires the pipeline installs it.
 */
export function setCallGate(gate: CallGate): () => void {
  const reg = registry();
  reg.gate = gate;
  return () => {
    if (reg.gate === gate) reg.gate = undefined;
  };
}

/** The installed call gate, or undefined: no budget is enforced. */
export function getCallGate(): CallGate | undefined {
  return registry().gate;
}

/**
 * Records that an instrumentation left a module unpatched (an unsupported
 * version), so a budget enforcer can warn that calls through it are not
 * counted instead of silently under-counting.
 */
export function reportUnpatchedModule(entry: UnpatchedModule): void {
  const list = registry().unpatched;
  if (list.length >= MAX_UNPATCHED) return;
  if (list.some((e) => e.module === entry.module && e.version === entry.version)) return;
  list.push(entry);
}

/** Modules left unpatched so far in this process. */
export function unpatchedModules(): readonly UnpatchedModule[] {
  return registry().unpatched;
}

/** Forgets the modules reported unpatched (tests). */
export function clearUnpatchedModules(): void {
  registry().unpatched.length = 0;
}

/** An asynchronous gate's answer being waited for, which the wait may give up on. */
export interface Admission {
  /**
   * The gate's ticket; rejects with the gate's error, or at once with the caller's abort
   * reason (as `fetch` does) or the reason given to {@link stop}, whatever the gate does.
   */
  readonly answer: Promise<CallTicket>;
  /** Stops waiting (a shutdown ended the call). */
  stop(reason: unknown): void;
}

/**
 * Waits for `pending`, a gate's `beginAsync` answer, until `signal` (the call's, which follows
 * the caller's) aborts or {@link Admission.stop} is called. Once stopped, a ticket the gate
 * hands over later is handed back as `cancelled`, and an error it answers later is dropped.
 */
export function awaitAdmission(
  pending: Promise<CallTicket>,
  signal: AbortSignal | undefined,
  onLateTicketError: (err: unknown) => void,
): Admission {
  let stopped = false;
  let rejectNow!: (reason: unknown) => void;
  const stop = (reason: unknown): void => {
    if (stopped) return;
    stopped = true;
    signal?.removeEventListener('abort', onAbort);
    rejectNow(reason);
  };
  const onAbort = (): void => stop(signal!.reason);
  const answer = new Promise<CallTicket>((resolve, reject) => {
    rejectNow = reject;
    pending.then(
      (ticket) => {
        signal?.removeEventListener('abort', onAbort);
        if (!stopped) return resolve(ticket);
        try {
          ticket?.end({ outcome: 'cancelled', usageEstimated: false });
        } catch (err) {
          onLateTicketError(err);
        }
      },
      (err: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (!stopped) reject(err);
      },
    );
  });
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return { answer, stop };
}
