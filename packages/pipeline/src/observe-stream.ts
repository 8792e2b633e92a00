/** Hooks for {@link observeStream}. None of them may throw into the caller's loop. */
export interface StreamHooks<T> {
  /** Called for each chunk before it is handed to the consumer, who may stop right there. */
  onChunk(chunk: T): void;
  /**
   * Called exactly once when the stream is done: it completed (`error`
   * undefined, `consumerStopped` false), failed (`error` set), or the consumer
   * stopped early (`consumerStopped` true).
   */
  onDone(error: unknown, consumerStopped: boolean): void;
  /**
   * The error the call was stopped with from outside (a budget), if any. The
   * SDKs' iterators end silently on abort, so the wrapper throws this instead
   * of letting the consumer's loop end as if the stream were complete.
   */
  stopError(): Error | undefined;
  /** Logs a failure of our own hooks; the stream goes on. */
  onHookError(err: unknown): void;
  /**
   * The call's AbortSignal. Each read races it: openai 6 on undici (Node 20)
   * never settles a body read issued or pending after a late abort, so a
   * caller's `for await` would stay pending for ever.
   */
  signal?: AbortSignal;
}

/**
 * How long a read pending at a caller's own abort is left to the SDK, which
 * normally settles it itself within milliseconds (its iterators end quietly on
 * abort, which the caller must keep seeing); past it the read rejects with the
 * caller's abort reason rather than hang. Generous, so a loaded machine does not
 * turn a quiet end into an error. A budget stop settles the read at once.
 */
export const CALLER_ABORT_GRACE_MS = 1_000;

/**
 * Yields `source`'s chunks unchanged while observing them. Ends exactly once
 * on completion, error, a consumer `break`/`return()` (before the first read
 * too), or an abort; closing it closes the source (which aborts the SDK's
 * request). A plain iterator object, not an async generator: one fewer
 * promise and closure per chunk.
 */
export function observeStream<T>(source: AsyncIterable<T>, hooks: StreamHooks<T>): AsyncIterableIterator<T> {
  return new ObservedStream(source[Symbol.asyncIterator](), hooks);
}

class ObservedStream<T> implements AsyncIterableIterator<T> {
  private _done = false;

  constructor(
    private readonly _source: AsyncIterator<T>,
    private readonly _hooks: StreamHooks<T>,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    if (this._done) return { done: true, value: undefined };
    const stopped = this._hooks.stopError();
    if (stopped) return this._fail(stopped, true);
    let result: IteratorResult<T>;
    try {
      result = await this._read();
    } catch (err) {
      if (this._done) throw err;
      return this._fail(err, false);
    }
    if (this._done) return { done: true, value: undefined };
    if (result.done) {
      const stop = this._hooks.stopError();
      if (stop) return this._fail(stop, false);
      this._finish(undefined, false);
      return { done: true, value: undefined };
    }
    try {
      this._hooks.onChunk(result.value);
    } catch (err) {
      this._hooks.onHookError(err);
    }
    return result;
  }

  async return(value?: unknown): Promise<IteratorResult<T, undefined>> {
    if (!this._done) {
      // The request stops first: the SDK's iterator aborts it a few promise jobs into its
      // return(), all run before the next macrotask. Our bookkeeping (which may load a
      // tokenizer, a few hundred ms the first time) comes after. A return() that never
      // settles (undici after a late abort) does not hold the caller's `break`.
      const closing = Promise.resolve(this._source.return?.());
      closing.catch(() => undefined);
      await Promise.race([closing, new Promise<void>((resolve) => setImmediate(resolve))]);
      this._finish(undefined, true);
    }
    return { done: true, value: value as undefined };
  }

  async throw(err?: unknown): Promise<IteratorResult<T, undefined>> {
    if (!this._done) {
      this._finish(err, false);
      this._close();
    }
    throw err;
  }

  /** The source's next read, settled early by an abort of the call's signal. */
  private _read(): Promise<IteratorResult<T>> {
    const read = this._source.next();
    const signal = this._hooks.signal;
    if (!signal) return read;
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (): void => {
        signal.removeEventListener('abort', onAbort);
        if (timer !== undefined) clearTimeout(timer);
      };
      const onAbort = (): void => {
        const stop = this._hooks.stopError();
        if (stop) {
          settle();
          reject(stop);
          return;
        }
        timer ??= setTimeout(() => {
          settle();
          reject(signal.reason);
        }, CALLER_ABORT_GRACE_MS);
      };
      read.then(
        (r) => {
          settle();
          resolve(r);
        },
        (err: unknown) => {
          settle();
          reject(err);
        },
      );
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private _fail(err: unknown, unread: boolean): never {
    const stop = this._hooks.stopError();
    const failure = stop ?? err;
    if (stop && stop !== err && (err as { cause?: unknown } | null)?.cause === undefined) trySetCause(stop, err);
    this._finish(failure, false);
    if (unread || stop) this._close();
    throw failure;
  }

  private _finish(error: unknown, consumerStopped: boolean): void {
    if (this._done) return;
    this._done = true;
    try {
      this._hooks.onDone(error, consumerStopped);
    } catch (err) {
      this._hooks.onHookError(err);
    }
  }

  /** Closes the source without waiting: its pending read may never settle. */
  private _close(): void {
    try {
      void Promise.resolve(this._source.return?.()).catch(() => undefined);
    } catch {
      // a source that cannot close is left to the SDK's own abort
    }
  }
}

function trySetCause(target: Error, cause: unknown): void {
  if ((target as { cause?: unknown }).cause !== undefined) return;
  try {
    Object.defineProperty(target, 'cause', { value: cause, configurable: true, writable: true });
  } catch {
    // a frozen error keeps its own cause
  }
}

/** `source` without the chunks `hide` drops; closing it closes the source, read or not. */
export function filterStream<T>(source: AsyncIterator<T>, hide: (chunk: T) => boolean): AsyncIterableIterator<T> {
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
