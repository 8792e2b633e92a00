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
export function streamTarget(stream: StreamLike, onError?: (error: unknown) => void): StreamTarget {
  return {
    wrapIterator(wrap) {
      const original = stream.iterator;
      stream.iterator = function observedIterator(this: unknown, ...args: unknown[]) {
        const source = original.apply(this, args);
        return wrap(onError ? reportingErrors(source, onError) : source);
      };
      return true;
    },
    controllerAborted: () => (stream.controller as { signal?: { aborted?: unknown } } | null)?.signal?.aborted === true,
  };
}

/**
 * `source`, telling `onError` what its `next()` rejects with before the reader sees it: the SDK
 * throws a stream's error event from its iterator, so the event never reaches the codec as a chunk.
 */
function reportingErrors(source: AsyncIterator<unknown>, onError: (error: unknown) => void): AsyncIterator<unknown> {
  const iterator: AsyncIterator<unknown> = {
    next: (...args: [] | [unknown]) =>
      source.next(...args).catch((err: unknown) => {
        try {
          onError(err);
        } catch {
          // ours; the reader still gets the SDK's error
        }
        throw err;
      }),
  };
  if (source.return) iterator.return = (value?: unknown) => source.return!(value);
  if (source.throw) iterator.throw = (error?: unknown) => source.throw!(error);
  return iterator;
}
