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
}

/**
 * Yields `source`'s chunks unchanged while observing them. Ends exactly once
 * on completion, error, a consumer `break`/`return()`, or an abort; closing the
 * wrapper closes the source (which aborts the SDK's request).
 */
export async function* observeStream<T>(source: AsyncIterable<T>, hooks: StreamHooks<T>): AsyncGenerator<T, void, undefined> {
  let failure: unknown;
  let finished = false;
  try {
    for await (const chunk of source) {
      try {
        hooks.onChunk(chunk);
      } catch (err) {
        hooks.onHookError(err);
      }
      yield chunk;
    }
    const stop = hooks.stopError();
    if (stop) throw stop;
    finished = true;
  } catch (err) {
    const stop = hooks.stopError();
    failure = stop ?? err;
    if (stop && stop !== err && (err as { cause?: unknown } | null)?.cause === undefined) {
      trySetCause(stop, err);
    }
    throw failure;
  } finally {
    try {
      hooks.onDone(failure, !finished && failure === undefined);
    } catch (err) {
      hooks.onHookError(err);
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
