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
   * The call's AbortSignal. Each read races it (one listener per stream): openai 6 on undici (Node 20)
   * never settles a body read issued or pending after a late abort, so a
   * caller's `for await` would stay pending for ever.
   */
  signal?: AbortSignal;
  /**
   * True when a chunk is ours (an injected usage chunk) and the consumer must
   * not see it; called after `onChunk`. A throw keeps the chunk.
   */
  hide?(chunk: T): boolean;
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
 * Yields `source`'s chunks unchanged while observing them, less those
 * `hooks.hide` takes out. Ends exactly once on completion, error, a consumer
 * `break`/`return()` (before the first read too), or an abort; closing it
 * closes the source (which aborts the SDK's request). A plain iterator object,
 * not an async generator: per chunk, one promise handed to the consumer and
 * one reaction on the source's read; one abort listener per stream, not per read.
 */
export function observeStream<T>(source: AsyncIterable<T>, hooks: StreamHooks<T>): AsyncIterableIterator<T> {
  return new ObservedStream(source[Symbol.asyncIterator](), hooks);
}

class ObservedStream<T> implements AsyncIterableIterator<T> {
  private _done = false;
  /** The pending next()'s settlers; undefined when no read is pending (or it was settled by an abort). */
  private _resolve: ((r: IteratorResult<T, undefined>) => void) | undefined;
  private _reject: ((err: unknown) => void) | undefined;
  /** The pending next()'s promise: a next() called before it settles waits for it. */
  private _pending: Promise<IteratorResult<T, undefined>> | undefined;
  /** True while a source read is in flight for the pending next(); an abort settles only such a read. */
  private _inFlight = false;
  private _listening = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _source: AsyncIterator<T>,
    private readonly _hooks: StreamHooks<T>,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this._done) return Promise.resolve({ done: true, value: undefined });
    // Nothing can stop the call from outside (no budget applies, no caller signal): no race, and
    // the source's read chained once is the promise the consumer gets (one promise per chunk).
    if (this._hooks.signal === undefined) return this._nextUnraced();
    if (this._resolve !== undefined && this._pending) {
      const again = (): Promise<IteratorResult<T, undefined>> => this.next();
      return this._pending.then(again, again);
    }
    return (this._pending = new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
      this._resolve = resolve;
      this._reject = reject;
      this._step();
    }));
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

  private _nextUnraced(): Promise<IteratorResult<T, undefined>> {
    if (this._pending !== undefined) {
      const again = (): Promise<IteratorResult<T, undefined>> => this.next();
      return this._pending.then(again, again);
    }
    const stopped = this._hooks.stopError();
    if (stopped) return Promise.reject(this._fail(stopped, true));
    let read: Promise<IteratorResult<T>>;
    try {
      read = Promise.resolve(this._source.next());
    } catch (err) {
      return Promise.reject(this._fail(err, false));
    }
    return (this._pending = read.then(this._onUnracedRead, this._onUnracedReadError));
  }

  private readonly _onUnracedRead = (result: IteratorResult<T>): IteratorResult<T, undefined> | Promise<IteratorResult<T, undefined>> => {
    this._pending = undefined;
    if (this._done) return { done: true, value: undefined };
    if (result.done) {
      const stop = this._hooks.stopError();
      if (stop) throw this._fail(stop, false);
      this._finish(undefined, false);
      return { done: true, value: undefined };
    }
    return this._observe(result) ? result : this._nextUnraced();
  };

  private readonly _onUnracedReadError = (err: unknown): never => {
    this._pending = undefined;
    throw this._done ? err : this._fail(err, false);
  };

  /** Shows a chunk to the hooks; false when it is ours and the consumer must not see it. */
  private _observe(result: IteratorResult<T>): boolean {
    const hooks = this._hooks;
    try {
      hooks.onChunk(result.value);
    } catch (err) {
      hooks.onHookError(err);
    }
    if (hooks.hide === undefined) return true;
    try {
      return !hooks.hide(result.value);
    } catch {
      return true; // a chunk we cannot judge is the caller's
    }
  }

  /** Issues the source's next read for the pending next(), raced against the call's signal. */
  private _step(): void {
    if (this._done) return this._settle({ done: true, value: undefined });
    const stopped = this._hooks.stopError();
    if (stopped) return this._settleError(this._fail(stopped, true));
    let read: Promise<IteratorResult<T>>;
    try {
      read = Promise.resolve(this._source.next());
    } catch (err) {
      return this._settleError(this._fail(err, false));
    }
    this._inFlight = true;
    const signal = this._hooks.signal;
    if (signal) {
      if (signal.aborted) this._onAbort();
      else if (!this._listening) {
        this._listening = true;
        signal.addEventListener('abort', this._onAbort, { once: true });
      }
    }
    read.then(this._onRead, this._onReadError);
  }

  private readonly _onRead = (result: IteratorResult<T>): void => {
    if (!this._inFlight) return; // settled already by an abort
    this._inFlight = false;
    this._clearTimer();
    if (this._done) return this._settle({ done: true, value: undefined });
    if (result.done) {
      const stop = this._hooks.stopError();
      if (stop) return this._settleError(this._fail(stop, false));
      this._finish(undefined, false);
      return this._settle({ done: true, value: undefined });
    }
    if (!this._observe(result)) return this._step();
    this._settle(result);
  };

  private readonly _onReadError = (err: unknown): void => {
    if (!this._inFlight) return; // settled already by an abort
    this._inFlight = false;
    this._clearTimer();
    if (this._done) return this._settleError(err);
    this._settleError(this._fail(err, false));
  };

  /**
   * The call's signal fired (or had fired at a read). A budget stop settles the
   * pending read at once; a caller's abort leaves it to the SDK for a grace period.
   */
  private readonly _onAbort = (): void => {
    // No read in flight (between reads, or a chunk being observed, which the consumer
    // still gets): the next read looks again.
    if (!this._inFlight) return;
    const stop = this._hooks.stopError();
    if (stop) {
      this._inFlight = false;
      this._clearTimer();
      this._settleError(this._done ? stop : this._fail(stop, false));
      return;
    }
    const signal = this._hooks.signal;
    this._timer ??= setTimeout(() => {
      this._timer = undefined;
      if (!this._inFlight) return;
      this._inFlight = false;
      const reason: unknown = signal?.reason;
      this._settleError(this._done ? reason : this._fail(reason, false));
    }, CALLER_ABORT_GRACE_MS);
  };

  private _settle(result: IteratorResult<T, undefined>): void {
    const resolve = this._resolve;
    this._resolve = undefined;
    this._reject = undefined;
    resolve?.(result);
  }

  private _settleError(err: unknown): void {
    const reject = this._reject;
    this._resolve = undefined;
    this._reject = undefined;
    reject?.(err);
  }

  private _clearTimer(): void {
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = undefined;
  }

  /** Ends the stream with a failure and returns the error the consumer gets. */
  private _fail(err: unknown, unread: boolean): unknown {
    const stop = this._hooks.stopError();
    const failure = stop ?? err;
    if (stop && stop !== err && (err as { cause?: unknown } | null)?.cause === undefined) trySetCause(stop, err);
    this._finish(failure, false);
    if (unread || stop) this._close();
    return failure;
  }

  private _finish(error: unknown, consumerStopped: boolean): void {
    if (this._done) return;
    this._done = true;
    if (this._listening) {
      this._listening = false;
      this._hooks.signal?.removeEventListener('abort', this._onAbort);
    }
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
