import type { CallLifecycle, StreamTarget } from '@costtrace/pipeline';
import type { AnyFunction, SdkStream } from './internal-types';

/**
 * Reports what `create()` returned to the call's lifecycle. `helper` is true
 * when the `stream()` helper owns the request: the helper always reads the
 * stream, so no unread timer is set. False when the SDK returned no APIPromise
 * it can observe (the call is then ended with estimated usage).
 */
export function observeMessagesResult(life: CallLifecycle, apiPromise: unknown, streaming: boolean, helper: boolean, onHookError: (err: unknown) => void): boolean {
  const ok = observeApiPromise(
    apiPromise,
    {
      // A Message is read once parse() starts; a stream only once it is iterated.
      touched: () => {
        if (!streaming) life.parseStarted();
      },
      parsed: (data) => life.parsed(data, isAsyncIterable(data) ? messagesStreamTarget(data as SdkStream) : undefined, !helper),
      failed: (error) => life.failed(error),
      rawResponse: () => life.rawArrived(),
    },
    onHookError,
  );
  if (!ok) {
    life.endUnobserved();
    return false;
  }
  if (!helper) life.armUnread();
  return true;
}

/**
 * The SDK's `Stream` read in place: its instance `[Symbol.asyncIterator]` is
 * replaced, which `for await`, `tee()` and `toReadableStream()` all go through
 * (0.137 and 1.12), and the Stream keeps its `controller`.
 */
function messagesStreamTarget(stream: SdkStream): StreamTarget {
  return {
    wrapIterator(wrap) {
      const previous = stream[Symbol.asyncIterator];
      if (typeof previous !== 'function') return false;
      Object.defineProperty(stream, Symbol.asyncIterator, {
        configurable: true,
        writable: true,
        value: function (this: SdkStream): AsyncIterator<unknown> {
          return wrap(previous.call(this));
        },
      });
      return true;
    },
    controllerAborted: () => stream.controller?.signal?.aborted === true,
  };
}

function isAsyncIterable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

export interface ApiPromiseHooks {
  /** The caller (or a helper) started reading the response: `parse()` or `asResponse()`. */
  touched(): void;
  /** `parse()` resolved: a Message, or a `Stream` for `stream: true`. */
  parsed(data: unknown): void;
  /** `parse()` or `asResponse()` rejected. Runs before the caller's own handlers. */
  failed(error: unknown): void;
  /** `asResponse()` (or an SDK helper's `_responseProps()`) resolved and no parse had begun: the caller owns the raw body. */
  rawResponse(): void;
}

/**
 * Observes the SDK's APIPromise without consuming it. Its `then` runs the
 * private `parse()`, which reads the body, so calling `then` ourselves would
 * break a caller who wants `.asResponse()`. Instead the instance's `parse` and
 * `asResponse` are replaced by wrappers that attach our handlers to the
 * promise they return, before the caller's handlers (`then`, `catch`,
 * `finally` and `withResponse` all go through `parse()` in 0.137 and 1.12).
 * Returns false, changing nothing, when the object lacks either method.
 */
export function observeApiPromise(target: unknown, hooks: ApiPromiseHooks, onHookError: (err: unknown) => void): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const promise = target as { parse?: unknown; asResponse?: unknown };
  const parse = promise.parse;
  const asResponse = promise.asResponse;
  if (typeof parse !== 'function' || typeof asResponse !== 'function') return false;
  const safely = (fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      onHookError(err);
    }
  };
  let parseStarted = false;
  let touched = false;
  const touch = (): void => {
    if (touched) return;
    touched = true;
    safely(() => hooks.touched());
  };
  define(target, 'parse', function (this: unknown, ...args: unknown[]) {
    const result = (parse as AnyFunction).apply(this, args);
    if (!parseStarted) {
      parseStarted = true;
      touch();
      if (isThenable(result)) {
        result.then(
          (data) => safely(() => hooks.parsed(data)),
          (error) => safely(() => hooks.failed(error)),
        );
      }
    }
    return result;
  });
  // SDK 1.x helpers that build one request on another (`beta.messages.thread().stream()`,
  // `toolRunner({ stream: true })`) take the raw response through `_responseProps()` and parse
  // it themselves: the same hand-off as asResponse(). Their non-streaming path calls `parse()`
  // right after, within the same macrotask, so the hand-off is decided one macrotask later.
  const responseProps = (promise as { _responseProps?: unknown })._responseProps;
  if (typeof responseProps === 'function') {
    define(target, '_responseProps', function (this: unknown, ...args: unknown[]) {
      touch();
      const result = (responseProps as AnyFunction).apply(this, args);
      if (isThenable(result)) {
        result.then(
          () => setImmediate(() => {
            if (!parseStarted) safely(() => hooks.rawResponse());
          }),
          (error) => {
            if (!parseStarted) safely(() => hooks.failed(error));
          },
        );
      }
      return result;
    });
  }
  define(target, 'asResponse', function (this: unknown, ...args: unknown[]) {
    touch();
    const result = (asResponse as AnyFunction).apply(this, args);
    if (isThenable(result)) {
      // `withResponse()` calls `parse()` first: only an asResponse() with no parse
      // started by the time the response arrives hands the raw body to the caller.
      result.then(
        () => {
          if (!parseStarted) safely(() => hooks.rawResponse());
        },
        (error) => {
          if (!parseStarted) safely(() => hooks.failed(error));
        },
      );
    }
    return result;
  });
  return true;
}

function define(target: object, name: string, value: AnyFunction): void {
  Object.defineProperty(target, name, { value, configurable: true, writable: true, enumerable: false });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
