type Fn = (this: unknown, ...args: unknown[]) => unknown;

const ORIGINAL = Symbol.for('costtrace.wrapper.original');
const DISABLED = Symbol.for('costtrace.wrapper.disabled');
const ownerMark = (owner: string) => Symbol.for(`costtrace.wrapper.${owner}`);

/**
 * Wraps `target[name]` with `makeWrapper(original)`, coexisting with other
 * instrumentations of the same method in either order.
 *
 * `InstrumentationBase#_wrap` unwraps any shimmer wrapper it finds before
 * wrapping, so two instrumentations of one method (costtrace's and the official
 * `@opentelemetry/instrumentation-openai`) would remove each other, whichever
 * patched second. Our wrapper therefore carries no shimmer marks (another
 * instrumentation wraps on top of it instead of removing it), and it never
 * unwraps a wrapper that is not its own.
 *
 * Returns false when `owner` already wraps the method (anywhere in the chain).
 */
export function wrapMethod(target: Record<string, unknown>, name: string, owner: string, makeWrapper: (original: Fn) => Fn): boolean {
  const original = target[name];
  if (typeof original !== 'function' || isWrappedBy(original, owner)) return false;
  const inner = makeWrapper(original as Fn);
  const wrapper = function costtraceWrapper(this: unknown, ...args: unknown[]): unknown {
    return (wrapper as unknown as Record<symbol, unknown>)[DISABLED] === true
      ? (original as Fn).apply(this, args)
      : inner.apply(this, args);
  };
  Object.defineProperty(wrapper, ownerMark(owner), { value: true });
  Object.defineProperty(wrapper, ORIGINAL, { value: original });
  Object.defineProperty(wrapper, 'name', { value: (original as Fn).name });
  Object.defineProperty(wrapper, 'length', { value: (original as Fn).length });
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, {
    value: wrapper,
    writable: descriptor?.writable ?? true,
    enumerable: descriptor?.enumerable ?? false,
    configurable: true,
  });
  return true;
}

/**
 * Removes `owner`'s wrapper: restores the original when ours is the outermost
 * wrapper; under someone else's wrapper, ours is switched to call straight
 * through (removing it would remove theirs). `known`, the wrapper installed,
 * finds ours under a wrapper that hides what it wraps.
 */
export function unwrapMethod(target: Record<string, unknown>, name: string, owner: string, known?: unknown): void {
  const mark = ownerMark(owner);
  const top = target[name] as Record<symbol, unknown> | undefined;
  if (typeof top === 'function' && top[mark] === true) {
    const descriptor = Object.getOwnPropertyDescriptor(target, name);
    Object.defineProperty(target, name, {
      value: top[ORIGINAL],
      writable: true,
      configurable: true,
      enumerable: descriptor?.enumerable ?? false,
    });
    return;
  }
  for (let fn = next(top), depth = 0; typeof fn === 'function' && depth < 16; fn = next(fn), depth++) {
    if (fn[mark] === true) {
      Object.defineProperty(fn, DISABLED, { value: true, configurable: true });
      return;
    }
  }
  // Under a wrapper that does not say what it wraps (a plain assignment of a new function): the
  // caller's own reference to our wrapper finds it.
  if (typeof known === 'function' && (known as unknown as Record<symbol, unknown>)[mark] === true) {
    Object.defineProperty(known, DISABLED, { value: true, configurable: true });
  }
}

/** True when `owner`'s wrapper is anywhere in `fn`'s chain of wrappers (ours, or shimmer's `__original`). */
export function isWrappedBy(fn: unknown, owner: string): boolean {
  const mark = ownerMark(owner);
  for (let cur = fn as Record<symbol, unknown> | undefined, depth = 0; typeof cur === 'function' && depth < 16; cur = next(cur), depth++) {
    if (cur[mark] === true && cur[DISABLED] !== true) return true;
  }
  return false;
}

function next(fn: unknown): Record<symbol, unknown> | undefined {
  if (typeof fn !== 'function') return undefined;
  const f = fn as unknown as Record<PropertyKey, unknown>;
  return (f[ORIGINAL] ?? f['__original']) as Record<symbol, unknown> | undefined;
}
