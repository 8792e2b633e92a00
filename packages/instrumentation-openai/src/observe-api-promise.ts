import type { CallLifecycle } from '@costtrace/pipeline';
import type { ApiPromiseLike } from './internal-types';
import { isStreamLike, streamTarget } from './stream-target';

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
 * Reports what `create` returned to the call's lifecycle, without reading
 * anything the caller has not asked for.
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
export function observeResult(
  life: CallLifecycle,
  result: unknown,
  warn: (message: string) => void,
  onStreamError?: (error: unknown) => void,
): void {
  if (isApiPromise(result)) return new ApiPromiseWatch(life, onStreamError).observe(result);
  if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
    // Not the SDK's APIPromise (another instrumentation inside ours returned a
    // plain promise): then() consumes nothing the caller could still want.
    life.parseStarted();
    (result as PromiseLike<unknown>).then(
      (value) => life.safely(() => parsed(life, value, onStreamError)),
      (err: unknown) => life.safely(() => life.failed(err)),
    );
    return;
  }
  warn('OpenAIInstrumentation: the SDK returned no promise; the call is recorded without its response');
  life.endUnobserved();
}

function parsed(life: CallLifecycle, value: unknown, onStreamError: ((error: unknown) => void) | undefined): void {
  life.parsed(value, isStreamLike(value) ? streamTarget(value, onStreamError) : undefined);
}

class ApiPromiseWatch {
  private _resultSeen = false;

  constructor(
    private readonly _life: CallLifecycle,
    private readonly _onStreamError: ((error: unknown) => void) | undefined,
  ) {}

  observe(promise: ApiPromiseLike): void {
    const life = this._life;
    this._watchParse(promise, true);
    const asResponse = promise.asResponse;
    promise.asResponse = function observedAsResponse(this: unknown, ...args: unknown[]) {
      life.safely(() => life.rawTaken());
      return asResponse.apply(this, args);
    };
    if (promise.parsedPromise instanceof Promise) {
      // openai 4's parse() read parseResponse before we wrapped it: something
      // inside our wrapper already called then(). Its parsed promise is safe to watch.
      this._resultSeen = true;
      life.parseStarted();
      promise.parsedPromise.then(
        (value) => life.safely(() => parsed(life, value, this._onStreamError)),
        (err: unknown) => life.safely(() => life.failed(err)),
      );
    }
    promise.responsePromise.then(
      () => life.safely(() => life.arrived()),
      (err: unknown) => life.safely(() => life.failed(err)),
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
    const life = this._life;
    const parseResponse = promise.parseResponse;
    promise.parseResponse = function observedParseResponse(this: unknown, ...args: unknown[]) {
      life.parseStarted();
      const out = parseResponse.apply(this, args);
      if (!ownsResult) {
        return Promise.resolve(out).catch((err: unknown) => {
          life.safely(() => life.failed(err));
          throw err;
        });
      }
      if (self._resultSeen || life.ended) {
        self._resultSeen = true;
        return self._passThrough(out);
      }
      self._resultSeen = true;
      return Promise.resolve(out).then(
        (value) => {
          life.safely(() => parsed(life, value, self._onStreamError));
          return value;
        },
        (err: unknown) => {
          life.safely(() => life.failed(err));
          throw err;
        },
      );
    };
    const parse = promise.parse;
    promise.parse = function observedParse(this: unknown, ...args: unknown[]) {
      life.parseStarted();
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
      if (isApiPromise(child)) life.safely(() => self._watchParse(child, false));
      return child;
    };
  }

  /** The value a `_thenUnwrap` transform receives, unless the wrapped `parseResponse` already had it (openai 4 to 6). */
  private _onUnwrapped(value: unknown): void {
    if (this._resultSeen) return;
    this._resultSeen = true;
    const life = this._life;
    if (life.ended) life.safely(() => this._hideOnly(value));
    else life.safely(() => parsed(life, value, this._onStreamError));
  }

  /** A result the call no longer observes: a stream still loses the chunk we added. */
  private _passThrough(out: unknown): unknown {
    if (!this._life.hidesChunks) return out;
    return Promise.resolve(out).then((value) => {
      this._life.safely(() => this._hideOnly(value));
      return value;
    });
  }

  private _hideOnly(value: unknown): void {
    if (isStreamLike(value)) streamTarget(value).wrapIterator((source) => this._life.hidden(source));
  }
}
