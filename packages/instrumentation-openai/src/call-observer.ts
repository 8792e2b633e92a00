import type { DiagLogger } from '@opentelemetry/api';
import { findBudgetExceededError, type CallEnd, type InferenceCall, type StreamHooks } from '@costtrace/pipeline';
import { ATTR_COSTTRACE_STREAM_UNREAD } from '@costtrace/semconv';
import type { ApiPromiseLike, SurfaceCall } from './internal-types';
import { isStreamLike, wrapStreamIterator } from './observe-stream-object';

/** True for the SDK's `APIPromise` (4 to 7) in the shape this package observes. */
export function isApiPromise(value: unknown): value is ApiPromiseLike {
  if (!(value instanceof Promise)) return false;
  const p = value as Partial<ApiPromiseLike>;
  return (
    p.responsePromise instanceof Promise &&
    typeof p.parseResponse === 'function' &&
    typeof p.parse === 'function' &&
    typeof p.asResponse === 'function'
  );
}

/**
 * Watches one call's result until the call ends, without reading anything the
 * caller has not asked for.
 *
 * The SDK's `APIPromise.then()` parses (consumes) the body, and a caller may
 * still want `.asResponse()`, so the promise is never `.then`-ed here. Instead
 * the instance's `parseResponse` is wrapped, and so is `_thenUnwrap`, through
 * which the SDK's helpers (`chat.completions.parse()`, `responses.parse()`,
 * `ResponseStream`) derive their promise from the one `create` returned; the
 * raw `responsePromise` is watched for errors and arrival. Handlers attached
 * here are attached before the caller's, so they run first: an abort error's
 * `cause` is set before the caller sees it.
 */
export class CallObserver {
  private _parseStarted = false;
  private _rawTaken = false;
  private _arrived = false;
  private _resultSeen = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _call: InferenceCall,
    private readonly _surface: SurfaceCall,
    private readonly _diag: DiagLogger,
    private readonly _unreadTimeoutMs: number,
  ) {}

  observe(result: unknown): void {
    if (isApiPromise(result)) return this._observeApiPromise(result);
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      // Not the SDK's APIPromise (another instrumentation inside ours returned a
      // plain promise): then() consumes nothing the caller could still want.
      this._parseStarted = true;
      (result as PromiseLike<unknown>).then(
        (value) => this._safely(() => this._onParsed(value)),
        (err: unknown) => this._safely(() => this._onFailed(err)),
      );
      return;
    }
    this._diag.warn('OpenAIInstrumentation: the SDK returned no promise; the call is recorded without its response');
    this._finish({});
  }

  private _observeApiPromise(promise: ApiPromiseLike): void {
    this._watchParse(promise, true);
    const self = this;
    const asResponse = promise.asResponse;
    promise.asResponse = function observedAsResponse(this: unknown, ...args: unknown[]) {
      self._safely(() => self._onAsResponse());
      return asResponse.apply(this, args);
    };
    if (promise.parsedPromise instanceof Promise) {
      // openai 4's parse() read parseResponse before we wrapped it: something
      // inside our wrapper already called then(). Its parsed promise is safe to watch.
      this._parseStarted = true;
      this._resultSeen = true;
      promise.parsedPromise.then(
        (value) => this._safely(() => this._onParsed(value)),
        (err: unknown) => this._safely(() => this._onFailed(err)),
      );
    }
    promise.responsePromise.then(
      () => this._safely(() => this._onArrived()),
      (err: unknown) => this._safely(() => this._onFailed(err)),
    );
  }

  /**
   * Wraps how `promise` parses the body. The promise `create` returned reports
   * its parsed value; a `_thenUnwrap` child reports only that parsing started
   * and how it failed, since its value is the transform's: the call's result
   * is what the transform receives.
   *
   * openai 4 to 6 build a child on `APIPromise.prototype._thenUnwrap`, whose
   * parse calls the parent's (wrapped) `parseResponse` before the transform.
   * openai 7 gives every promise of `OpenAI.responsePromise()` (client.ts) its
   * own `_thenUnwrap`, whose child parses through the parent's captured
   * `parse` function and never reads `parseResponse`: only the transform sees
   * that value.
   */
  private _watchParse(promise: ApiPromiseLike, ownsResult: boolean): void {
    const self = this;
    const parseResponse = promise.parseResponse;
    promise.parseResponse = function observedParseResponse(this: unknown, ...args: unknown[]) {
      self._onParseStarted();
      const out = parseResponse.apply(this, args);
      if (!ownsResult) {
        return Promise.resolve(out).catch((err: unknown) => {
          self._safely(() => self._onFailed(err));
          throw err;
        });
      }
      if (self._resultSeen || self._call.ended) {
        self._resultSeen = true;
        return self._passThrough(out);
      }
      self._resultSeen = true;
      return Promise.resolve(out).then(
        (value) => {
          self._safely(() => self._onParsed(value));
          return value;
        },
        (err: unknown) => {
          self._safely(() => self._onFailed(err));
          throw err;
        },
      );
    };
    const parse = promise.parse;
    promise.parse = function observedParse(this: unknown, ...args: unknown[]) {
      self._onParseStarted();
      return parse.apply(this, args);
    };
    const thenUnwrap = promise._thenUnwrap;
    if (typeof thenUnwrap !== 'function') return;
    promise._thenUnwrap = function observedThenUnwrap(this: unknown, transform: unknown, ...rest: unknown[]) {
      const observedTransform =
        typeof transform === 'function'
          ? function observedTransform(this: unknown, value: unknown, ...more: unknown[]) {
              self._onUnwrapped(value);
              return (transform as (...a: unknown[]) => unknown).apply(this, [value, ...more]);
            }
          : transform;
      const child = thenUnwrap.apply(this, [observedTransform, ...rest]);
      if (isApiPromise(child)) self._safely(() => self._watchParse(child, false));
      return child;
    };
  }

  private _onParseStarted(): void {
    this._parseStarted = true;
    this._clearTimer();
  }

  /** The value a `_thenUnwrap` transform receives, unless the wrapped `parseResponse` already had it (openai 4 to 6). */
  private _onUnwrapped(value: unknown): void {
    if (this._resultSeen) return;
    this._resultSeen = true;
    if (this._call.ended) this._safely(() => this._hideOnly(value));
    else this._safely(() => this._onParsed(value));
  }

  /** A result the call no longer observes: a stream still loses the chunk we added. */
  private _passThrough(out: unknown): unknown {
    if (!this._surface.hides) return out;
    return Promise.resolve(out).then((value) => {
      this._hideOnly(value);
      return value;
    });
  }

  private _hideOnly(value: unknown): void {
    if (this._surface.hides && isStreamLike(value)) wrapStreamIterator(value, () => undefined, (c) => this._surface.hide(c));
  }

  private _onArrived(): void {
    this._arrived = true;
    if (this._call.ended) return;
    if (this._rawTaken && !this._parseStarted) return this._endRaw();
    if (!this._parseStarted) this._armTimer();
  }

  private _onAsResponse(): void {
    if (this._parseStarted || this._call.ended) return;
    // `.asResponse()` hands the caller the raw body; reading it here would take
    // it from them. The call ends when the response arrives, its usage estimated.
    this._rawTaken = true;
    if (this._arrived) this._endRaw();
  }

  private _endRaw(): void {
    this._call.recordUsage(this._surface.estimatedUsage(), true);
    this._finish({ outcome: 'completed' });
  }

  private _onParsed(value: unknown): void {
    this._parseStarted = true;
    this._clearTimer();
    if (this._call.ended) return;
    if (this._surface.streaming && isStreamLike(value)) {
      this._observeStream(value);
      return;
    }
    if (!this._surface.streaming) this._call.markReceived();
    if (this._surface.streaming) {
      // A streaming call that did not come back as the SDK's Stream (an
      // unknown helper transformed it): nothing to watch, usage estimated.
      this._call.recordUsage(this._surface.estimatedUsage(), true);
      this._finish({});
      return;
    }
    this._finish(this._surface.onBody(this._call, value));
  }

  private _onFailed(err: unknown): void {
    this._clearTimer();
    this._decorate(err);
    if (this._call.ended) return;
    const outcome = this._call.outcomeFor(err);
    // A request stopped in flight may still be billed for its input; a plain
    // API error (4xx, 5xx) is not.
    if (outcome === 'cancelled' || outcome === 'budget_aborted') this._call.recordUsage(this._surface.estimatedUsage(), true);
    this._finish({ error: err, outcome });
  }

  private _observeStream(stream: Parameters<typeof wrapStreamIterator>[0]): void {
    let opened = false;
    const call = this._call;
    const surface = this._surface;
    wrapStreamIterator(
      stream,
      () => {
        if (opened || call.ended) return undefined;
        opened = true;
        this._clearTimer();
        return this._streamHooks(stream);
      },
      surface.hides ? (chunk) => surface.hide(chunk) : undefined,
    );
    this._armTimer();
  }

  private _streamHooks(stream: Parameters<typeof wrapStreamIterator>[0]): StreamHooks<unknown> {
    const call = this._call;
    const surface = this._surface;
    return {
      onChunk: (chunk) => surface.onChunk(call, chunk),
      onDone: (error, consumerStopped) => {
        let end: CallEnd = {};
        try {
          end = surface.onStreamEnd(call);
        } catch (err) {
          this._diag.error('OpenAIInstrumentation: could not read the end of a stream', err);
        }
        // `stream.controller.abort()` by the caller ends the SDK's iterator
        // quietly, like a completed stream: the aborted controller tells them apart.
        const stopped = consumerStopped || (error === undefined && isAborted(stream.controller));
        this._finish({ ...end, error: error ?? end.error, consumerStopped: stopped });
      },
      stopError: () => call.budgetError,
      signal: call.signal,
      onHookError: (err) => this._diag.error('OpenAIInstrumentation: failed reading a stream chunk', err),
    };
  }

  private _armTimer(): void {
    this._clearTimer();
    if (this._call.ended) return;
    this._timer = setTimeout(() => this._safely(() => this._onUnread()), this._unreadTimeoutMs);
    this._timer.unref?.();
  }

  private _clearTimer(): void {
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = undefined;
  }

  /** Never read within the timeout: end the span, leave the request alone. */
  private _onUnread(): void {
    this._timer = undefined;
    if (this._call.ended) return;
    this._call.setAttributes({ [ATTR_COSTTRACE_STREAM_UNREAD]: true });
    this._call.recordUsage(this._surface.estimatedUsage(), true);
    this._finish({ outcome: 'cancelled' });
  }

  /**
   * A non-streaming call a budget stopped rejects with the SDK's own
   * `APIUserAbortError` (the SDK's promise object is kept); its `cause` becomes
   * the BudgetExceededError so `findBudgetExceededError(err)` finds it.
   */
  private _decorate(err: unknown): void {
    const budgetError = this._call.budgetError;
    if (!budgetError || typeof err !== 'object' || err === null || findBudgetExceededError(err)) return;
    if ((err as { cause?: unknown }).cause !== undefined) return;
    try {
      Object.defineProperty(err, 'cause', { value: budgetError, configurable: true, writable: true, enumerable: false });
    } catch {
      // a frozen error keeps its own shape
    }
  }

  private _finish(end: CallEnd): void {
    this._clearTimer();
    this._call.end(end);
  }

  private _safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this._diag.error('OpenAIInstrumentation: failed observing a call; ending its span', err);
      try {
        this._finish({});
      } catch {
        // the call's own end is guarded; nothing more to do
      }
    }
  }
}

function isAborted(controller: unknown): boolean {
  return (controller as { signal?: { aborted?: unknown } } | null)?.signal?.aborted === true;
}
