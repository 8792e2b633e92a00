/**
 * A value shared by every copy of costtrace loaded in one process (an ESM and a
 * CommonJS copy, or two versions), kept on `globalThis` under a `Symbol.for` key
 * the way `@opentelemetry/api` keeps its own globals.
 */
export interface GlobalSlot<T> {
  get(): T | undefined;
  set(value: T | undefined): void;
}

export function globalSlot<T>(name: string): GlobalSlot<T> {
  const key = Symbol.for(`costtrace.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  return {
    get: () => store[key],
    set: (value) => {
      store[key] = value;
    },
  };
}
