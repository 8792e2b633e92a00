import { registry } from './registry';
import type { CallGate, UnpatchedModule } from './types';

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
