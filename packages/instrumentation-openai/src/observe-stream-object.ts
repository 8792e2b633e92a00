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
    if (!hooks) return hide ? guard(filter(iterable(source), hide)) : source;
    const observed = observeStream(iterable(source), hooks);
    return guard(hide ? filter(observed, hide) : observed, () => {
      // Closed before the first read: the generator body never runs, so its
      // `finally` cannot end the call.
      hooks.onDone(undefined, true);
      void Promise.resolve(source.return?.()).catch(() => undefined);
    });
  };
}

function iterable<T>(iterator: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => iterator };
}

async function* filter<T>(source: AsyncIterable<T>, hide: (chunk: T) => boolean): AsyncGenerator<T, void, undefined> {
  for await (const chunk of source) {
    let drop = false;
    try {
      drop = hide(chunk);
    } catch {
      drop = false; // a chunk we cannot judge is the caller's
    }
    if (!drop) yield chunk;
  }
}

/** An iterator over `gen` that notices being closed before it was ever read. */
function guard<T>(gen: AsyncGenerator<T, void, undefined>, onClosedUnread?: () => void): AsyncIterableIterator<T> {
  let started = false;
  const closeUnread = (): void => {
    if (started) return;
    started = true;
    onClosedUnread?.();
  };
  return {
    next: (...args: [] | [undefined]) => {
      started = true;
      return gen.next(...args);
    },
    return: (value?: unknown) => {
      closeUnread();
      return gen.return(value as undefined);
    },
    throw: (err?: unknown) => {
      closeUnread();
      return gen.throw(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
