import { isRecord, type StreamTarget } from '@costtrace/pipeline';

/**
 * The SDK's event stream (ConverseStream's `output.stream`, the
 * `output.body` of InvokeModelWithResponseStream): an object whose
 * `[Symbol.asyncIterator]` decodes AWS event-stream messages as the caller
 * reads. Its iterator is replaced in place, so the caller keeps the object.
 */
export function eventStreamTarget(output: unknown, key: 'stream' | 'body'): StreamTarget {
  return {
    wrapIterator(wrap) {
      const stream = isRecord(output) ? output[key] : undefined;
      if (typeof stream !== 'object' || stream === null) return false;
      const iterate = (stream as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator];
      if (typeof iterate !== 'function') return false;
      Object.defineProperty(stream, Symbol.asyncIterator, {
        value: function costtraceIterator(this: unknown) {
          return wrap(iterate.call(this) as AsyncIterator<unknown>);
        },
        configurable: true,
        writable: true,
      });
      return true;
    },
    // The event stream has no controller of its own: a caller stops it with `abortSignal` or `break`.
    controllerAborted: () => false,
  };
}
