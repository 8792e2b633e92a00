import type { DiagLogger } from '@opentelemetry/api';
import { ATTR_COSTTRACE_STREAM_UNREAD } from '@costtrace/semconv';
import { findBudgetExceededError } from './budget-exceeded-error';
import type { CallCodec } from './call-codec';
import type { CallEnd, InferenceCall } from './inference-call';
import { filterStream, observeStream, type StreamHooks } from './observe-stream';
import { UnreadTimer } from './unread-timer';

/**
 * How an SDK patch lets the lifecycle read the SDK's own stream object in
 * place, so the caller keeps it whole (`.controller`, `.tee()`,
 * `.toReadableStream()`, helper streams that iterate it).
 */
export interface StreamTarget {
  /**
   * Replaces how the stream object iterates: `wrap` gets each new iterator of
   * the SDK's and returns the one the caller reads. False when the object
   * cannot be read this way (nothing is changed).
   */
  wrapIterator(wrap: (source: AsyncIterator<unknown>) => AsyncIterator<unknown>): boolean;
  /** True when the SDK's own controller was aborted (`stream.controller.abort()`, a helper's `abort()`). */
  controllerAborted(): boolean;
}

export interface CallLifecycleInit {
  call: InferenceCall;
  codec: CallCodec;
  diag: DiagLogger;
  /** A response or stream nobody reads for this long ends its call as `cancelled`, `costtrace.stream.unread`. */
  unreadTimeoutMs: number;
  /** Names the instrumentation in logs (`OpenAIInstrumentation`). */
  name: string;
}

/**
 * One model call from the moment the SDK returned to its end, for every
 * provider and client: what the SDK patch reports of its promise (parse
 * started, response arrived, raw body taken, parsed value, failure), the
 * stream read in place, the unread timer, the outcome and the end, exactly
 * once. The provider's wire shapes come from its {@link CallCodec}.
 */
export class CallLifecycle {
  readonly call: InferenceCall;
  private readonly _codec: CallCodec;
  private readonly _diag: DiagLogger;
  private readonly _name: string;
  private readonly _timer: UnreadTimer;
  private _parseStarted = false;
  private _rawTaken = false;
  private _arrived = false;

  constructor(init: CallLifecycleInit) {
    this.call = init.call;
    this._codec = init.codec;
    this._diag = init.diag;
    this._name = init.name;
    this._timer = new UnreadTimer(init.unreadTimeoutMs);
  }

  get ended(): boolean {
    return this.call.ended;
  }

  /** True when the codec takes chunks out of the stream (what it added to the request). */
  get hidesChunks(): boolean {
    return this._codec.hides;
  }

  /** Someone started reading the response (the SDK's parse): it is no longer unread. */
  parseStarted(): void {
    this._parseStarted = true;
    this._timer.clear();
  }

  /** The response headers arrived. Unless someone reads it, the unread timer starts. */
  arrived(): void {
    this._arrived = true;
    if (this.call.ended) return;
    if (this._rawTaken && !this._parseStarted) return this._endRaw();
    if (!this._parseStarted) this.armUnread();
  }

  /**
   * The caller took the raw body (`.asResponse()`): reading it here would take
   * it from them. The call ends once the response arrives, its usage estimated.
   */
  rawTaken(): void {
    if (this._parseStarted || this.call.ended) return;
    this._rawTaken = true;
    if (this._arrived) this._endRaw();
  }

  /** The raw response the caller took has arrived. */
  rawArrived(): void {
    this._rawTaken = true;
    this._arrived = true;
    if (!this.call.ended) this._endRaw();
  }

  /**
   * The parsed result: a body, or for a streaming call the SDK's stream
   * object, which the patch shows as `stream` (undefined when it is not one).
   */
  parsed(body: unknown, stream?: StreamTarget, armUnread = true): void {
    this.parseStarted();
    if (this.call.ended) return;
    if (this._codec.streaming) {
      if (stream && this.observeStream(stream, armUnread)) return;
      // A streaming call that did not come back as a stream it can read (an
      // unknown helper transformed it): nothing to watch, usage estimated.
      this.endUnobserved();
      return;
    }
    // The whole body arrived: a budget crossing from here on lets it complete.
    this.call.markReceived();
    this._finish(this._codec.onBody(this.call, body));
  }

  /** The request or its parse failed. Runs before the caller's own handlers. */
  failed(error: unknown): void {
    this._timer.clear();
    this._decorate(error);
    if (this.call.ended) return;
    const outcome = this.call.outcomeFor(error);
    if ((outcome === 'cancelled' || outcome === 'budget_aborted') && this._codec.chargesStoppedRequests) {
      this.call.recordUsage(this._codec.estimatedUsage(), true);
    }
    this._finish({ error, outcome });
  }

  /** Ends a call nothing could observe, its usage estimated. */
  endUnobserved(): void {
    if (this.call.ended) return;
    this.call.recordUsage(this._codec.estimatedUsage(), true);
    this._finish({});
  }

  /** Starts (or restarts) the unread timer. */
  armUnread(): void {
    if (this.call.ended) return;
    this._timer.arm(() => this.safely(() => this._onUnread()));
  }

  /**
   * Reads the stream in place: the first iteration is observed (the SDKs
   * refuse a second one themselves); one started after the call ended (the
   * unread timer) passes through. False when the stream cannot be read.
   */
  observeStream(stream: StreamTarget, armUnread = true): boolean {
    let opened = false;
    const ok = stream.wrapIterator((source) => {
      if (opened || this.call.ended) return this.hidden(source);
      opened = true;
      this._timer.clear();
      return observeStream({ [Symbol.asyncIterator]: () => source }, this._streamHooks(stream));
    });
    if (ok && armUnread) this.armUnread();
    return ok;
  }

  /** `source` without the chunks the codec added to the request (OpenAI's usage chunk). */
  hidden(source: AsyncIterator<unknown>): AsyncIterator<unknown> {
    const codec = this._codec;
    return codec.hides ? filterStream(source, (chunk) => codec.hide(chunk)) : source;
  }

  /** Runs a hook of ours; a failure is logged and ends the call rather than reach the app. */
  safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this._diag.error(`${this._name}: failed observing a call; ending its span`, err);
      try {
        this._finish({});
      } catch {
        // the call's own end is guarded; nothing more to do
      }
    }
  }

  private _streamHooks(stream: StreamTarget): StreamHooks<unknown> {
    const call = this.call;
    const codec = this._codec;
    return {
      onChunk: (chunk) => codec.onChunk(call, chunk),
      onDone: (error, consumerStopped) => {
        let end: CallEnd = {};
        try {
          end = codec.onStreamEnd(call);
        } catch (err) {
          this._diag.error(`${this._name}: could not read the end of a stream`, err);
        }
        // The SDKs' iterators end quietly when their own controller is aborted
        // (`stream.controller.abort()`): a cancellation, unless the stream's end had arrived.
        const quietAbort = error === undefined && stream.controllerAborted() && !(codec.sawStreamEnd?.() ?? false);
        this._finish({ ...end, error: error ?? end.error, consumerStopped: consumerStopped || quietAbort });
      },
      stopError: () => call.budgetError,
      signal: call.sendSignal,
      onHookError: (err) => this._diag.error(`${this._name}: failed reading a stream chunk`, err),
      ...(codec.hides ? { hide: (chunk: unknown) => codec.hide(chunk) } : {}),
    };
  }

  private _endRaw(): void {
    this._timer.clear();
    this.call.recordUsage(this._codec.estimatedUsage(), true);
    this._finish({});
  }

  /** Never read within the timeout: end the span, leave the request alone. */
  private _onUnread(): void {
    if (this.call.ended) return;
    this.call.setAttributes({ [ATTR_COSTTRACE_STREAM_UNREAD]: true });
    this.call.recordUsage(this._codec.estimatedUsage(), true);
    this._finish({ outcome: 'cancelled' });
  }

  /**
   * A non-streaming call a budget stopped rejects with the SDK's own
   * `APIUserAbortError` (its promise object is kept): its `cause` becomes the
   * BudgetExceededError, so `findBudgetExceededError(err)` finds it.
   */
  private _decorate(error: unknown): void {
    const budgetError = this.call.budgetError;
    if (!budgetError || typeof error !== 'object' || error === null || findBudgetExceededError(error)) return;
    const previous = (error as { cause?: unknown }).cause;
    try {
      Object.defineProperty(error, 'cause', { value: budgetError, configurable: true, writable: true, enumerable: false });
      if (previous !== undefined && (budgetError as { cause?: unknown }).cause === undefined) {
        Object.defineProperty(budgetError, 'cause', { value: previous, configurable: true, writable: true, enumerable: false });
      }
    } catch {
      // a frozen error keeps its own cause
    }
  }

  private _finish(end: CallEnd): void {
    this._timer.clear();
    this.call.end(end);
  }
}
