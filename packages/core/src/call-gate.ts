import { globalSlot } from './global-slot';
import type { CallGate, UnpatchedModule } from './types';

// Kept on globalThis so the ESM and CommonJS copies of the instrumentations and
// of the budget processor meet, and so no instrumentation depends on the
// budget package.
const gateSlot = globalSlot<CallGate>('call_gate');
const unpatchedSlot = globalSlot<UnpatchedModule[]>('unpatched_modules');
const MAX_UNPATCHED = 32;

/**
 * Installs the process's call gate and returns a function that removes it
 * again (only if it is still the installed one). There is one gate per
 * process: a budget processor registers itself when it is constructed.
 */
export function setCallGate(gate: CallGate): () => void {
  gateSlot.set(gate);
  return () => {
    if (gateSlot.get() === gate) gateSlot.set(undefined);
  };
}

/** The installed call gate, or undefined: no budget is enforced. */
export function getCallGate(): CallGate | undefined {
  return gateSlot.get();
}

/**
 * Records that an instrumentation left a module unpatched (an unsupported
 * version), so a budget enforcer can warn that calls through it are not
 * counted instead of silently under-counting.
 */
export function reportUnpatchedModule(entry: UnpatchedModule): void {
  const list = unpatchedSlot.get() ?? [];
  if (list.length >= MAX_UNPATCHED) return;
  if (list.some((e) => e.module === entry.module && e.version === entry.version)) return;
  unpatchedSlot.set([...list, entry]);
}

/** Modules left unpatched so far in this process. */
export function unpatchedModules(): readonly UnpatchedModule[] {
  return unpatchedSlot.get() ?? [];
}
