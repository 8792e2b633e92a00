import { observeStream, type StreamHooks } from '@costtrace/pipeline';
import type { StreamLike } from './internal-types';

/** True for the SDK's `Stream` (4 to 7): an `iterator()` that `[Symbol.asyncIterator]`, `tee()` and `toReadableStream()` share. */
export function isStreamLike(value: unknown): value is StreamLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StreamLike).iterator === 'function' &&
    'controller' in value
  );
}

/**
 * Replaces the stream's own `iterator` in place, so the caller keeps the SDK's
 * object (`.controller`, `.tee()`, `.toReadableStream()`, helper streams that
 * iterate it) and every way of reading it is observed. Only the first
 * iteration is observed: the SDK refuses a second one itself.
 */
export function wrapStreamIterator(
  stream: StreamLike,
  open: () => StreamHooks<unknown> | undefined,
  hide: ((chunk: unknown) => boolean) | undefined,
): void {
  const original = stream.iterator;
  stream.iterator = function observedIterator(this: unknown, ...args: unknown[]) {
    const source = original.apply(this, args);
    const hooks = open();
    if (!hooks) return hide ? filter(source, hide) : source;
    const observed = observeStream(iterable(source), hooks);
    return hide ? filter(observed, hide) : observed;
  };
}

function iterable<T>(iterator: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => iterator };
}

/** `source` without the chunks `hide` drops; closing it closes the source, read or not. */
function filter<T>(source: AsyncIterator<T>, hide: (chunk: T) => boolean): AsyncIterableIterator<T> {
  return {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        const result = await source.next();
        if (result.done) return result;
        let drop = false;
        try {
          drop = hide(result.value);
        } catch {
          drop = false; // a chunk we cannot judge is the caller's
        }
        if (!drop) return result;
      }
    },
    return: (value?: unknown) => (source.return ? source.return(value) : Promise.resolve({ done: true, value: undefined })),
    throw: (err?: unknown) => (source.throw ? source.throw(err) : Promise.reject(err)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
