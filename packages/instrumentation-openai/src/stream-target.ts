import type { StreamTarget } from '@costtrace/pipeline';
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
 * The SDK's `Stream` read in place: its own `iterator` is replaced, so the
 * caller keeps the object (`.controller`, `.tee()`, `.toReadableStream()`,
 * helper streams that iterate it) and every way of reading it is observed.
 */
export function streamTarget(stream: StreamLike): StreamTarget {
  return {
    wrapIterator(wrap) {
      const original = stream.iterator;
      stream.iterator = function observedIterator(this: unknown, ...args: unknown[]) {
        return wrap(original.apply(this, args));
      };
      return true;
    },
    controllerAborted: () => (stream.controller as { signal?: { aborted?: unknown } } | null)?.signal?.aborted === true,
  };
}
