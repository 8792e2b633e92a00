import { unwrapMethod, wrapMethod } from '@costtrace/pipeline';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The one place this package touches `globalThis`: the process's `fetch`, which is the
 * app's, not costtrace state (that lives in the pipeline's registry). It is wrapped the
 * way SDK methods are ({@link wrapMethod}): another wrapper of `fetch`, installed before
 * or after, keeps working; a second copy of this package (ESM beside CommonJS) does not
 * wrap it twice; disabling restores it, or under someone else's wrapper turns ours into a
 * pass-through.
 */
export function wrapGlobalFetch(owner: string, makeWrapper: (original: AnyFunction) => AnyFunction): unknown {
  if (typeof globalThis.fetch !== 'function') return undefined;
  const target = globalThis as unknown as Record<string, unknown>;
  return wrapMethod(target, 'fetch', owner, makeWrapper) ? target['fetch'] : undefined;
}

/** Removes the wrapper {@link wrapGlobalFetch} returned. */
export function unwrapGlobalFetch(owner: string, wrapper: unknown): void {
  unwrapMethod(globalThis as unknown as Record<string, unknown>, 'fetch', owner, wrapper);
}
