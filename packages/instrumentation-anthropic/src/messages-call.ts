import type { DiagLogger } from '@opentelemetry/api';
import { findBudgetExceededError, observeStream, type CallEstimate, type InferenceCall } from '@costtrace/pipeline';
import {
  ATTR_ANTHROPIC_RESPONSE_SERVICE_TIER,
  ATTR_COSTTRACE_STREAM_UNREAD,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  type TokenUsage,
} from '@costtrace/semconv';
import { OutputEstimate } from './estimate-tokens';
import type { SdkStream } from './internal-types';
import { outputContentAttributes } from './message-content';
import { observeApiPromise } from './observe-api-promise';
import type { ResolvedOptions } from './options';
import { completeUsage, isRecord, readAnthropicUsage, readServiceTier } from './read-anthropic-usage';
import { StreamAccumulator } from './stream-accumulator';

/**
 * One patched Messages call after its span started: observes what the SDK
 * returned and ends the call exactly once, whichever way the response goes.
 */
export class MessagesCall {
  private _unreadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly call: InferenceCall,
    private readonly _estimate: CallEstimate,
    private readonly _streaming: boolean,
    private readonly _options: ResolvedOptions,
    private readonly _diag: DiagLogger,
  ) {}

  /**
   * Observes the SDK's APIPromise. `helper` is true when the `stream()` helper
   * owns it: the helper always reads the stream, so no unread timer is set.
   */
  observe(apiPromise: unknown, helper: boolean): void {
    const ok = observeApiPromise(
      apiPromise,
      {
        touched: () => {
          // A Message is read once parse() starts; a stream only once it is iterated.
          if (!this._streaming) this._clearUnreadTimer();
        },
        parsed: (data) => this._onParsed(data),
        failed: (error) => this._onFailed(error),
        rawResponse: () => this._onRawResponse(),
      },
      (err) => this._hookError(err),
    );
    if (!ok) {
      this._diag.warn('AnthropicInstrumentation: the SDK returned no APIPromise it can observe; the call is recorded with estimated usage');
      this._endEstimated();
      return;
    }
    if (!helper) this._startUnreadTimer();
  }

  /** Ends the call when nothing could observe it (a helper that never called create()). */
  endUnobserved(): void {
    this._endEstimated();
  }

  private _onParsed(data: unknown): void {
    if (this.call.ended) return;
    if (this._streaming && isAsyncIterable(data)) {
      this._observeStream(data as SdkStream);
      return;
    }
    this._clearUnreadTimer();
    this._finishMessage(data);
  }

  private _finishMessage(message: unknown): void {
    const call = this.call;
    call.markReceived();
    const body = isRecord(message) ? message : {};
    const usage = readAnthropicUsage(body['usage']);
    if (usage && usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
      call.recordUsage(usage, false);
    } else {
      // Usage missing or malformed: keep the budget conservative with our own count.
      const output = new OutputEstimate();
      output.add(contentText(body['content']));
      call.recordUsage(completeUsage(usage, this._estimate.inputTokens, output.tokens), true);
    }
    const stopReason = typeof body['stop_reason'] === 'string' ? body['stop_reason'] : undefined;
    const model = typeof body['model'] === 'string' ? body['model'] : undefined;
    this._setResponseAttributes(
      typeof body['id'] === 'string' ? body['id'] : undefined,
      model,
      readServiceTier(body['usage']),
    );
    if (this._options.captureMessageContent) {
      call.setAttributes(outputContentAttributes(body['content'], stopReason, this._options.contentMaxLength));
    }
    call.end({
      ...(stopReason ? { finishReasons: [stopReason] } : {}),
      ...(model ? { responseModel: model } : {}),
    });
  }

  private _observeStream(stream: SdkStream): void {
    const call = this.call;
    const previous = stream[Symbol.asyncIterator];
    if (typeof previous !== 'function') {
      this._endEstimated();
      return;
    }
    const acc = new StreamAccumulator(this._options.captureMessageContent);
    let observed = false;
    const self = this;
    // Replaced in place: `for await`, `tee()` and `toReadableStream()` all go
    // through the instance's [Symbol.asyncIterator] (0.137 and 1.12), and the
    // Stream keeps its `controller`. Only the first iteration is observed; after
    // the unread timeout, chunks pass through unobserved.
    Object.defineProperty(stream, Symbol.asyncIterator, {
      configurable: true,
      writable: true,
      value: function (this: SdkStream): AsyncIterator<unknown> {
        if (observed || call.ended) return previous.call(this);
        observed = true;
        self._clearUnreadTimer();
        const source: AsyncIterable<unknown> = { [Symbol.asyncIterator]: () => previous.call(this) };
        return observeStream(source, {
          onChunk: (event) => {
            const update = acc.add(event);
            if (!update) return;
            const usage = update.estimated ? completeUsage(update.usage, self._estimate.inputTokens, update.usage.outputTokens ?? 0) : update.usage;
            call.recordUsage(usage, update.estimated);
          },
          onDone: (error, consumerStopped) => self._finishStream(acc, stream, error, consumerStopped),
          stopError: () => call.budgetError,
          signal: call.signal,
          onHookError: (err) => self._hookError(err),
        });
      },
    });
  }

  private _finishStream(acc: StreamAccumulator, stream: SdkStream, error: unknown, consumerStopped: boolean): void {
    const call = this.call;
    if (call.ended) return;
    if (!acc.finalUsage) {
      const running = acc.runningUsage();
      call.recordUsage(completeUsage(running, this._estimate.inputTokens, running.outputTokens ?? 0), true);
    }
    this._setResponseAttributes(acc.id, acc.model, acc.serviceTier);
    if (this._options.captureMessageContent) {
      call.setAttributes(outputContentAttributes(acc.content, acc.stopReason, this._options.contentMaxLength));
    }
    if (error !== undefined) {
      call.end({ error });
      return;
    }
    if (consumerStopped) {
      call.end({ consumerStopped: true });
      return;
    }
    // The SDK's iterator ends quietly when its request is aborted (`stream.controller.abort()`,
    // the `stream()` helper's `abort()`): that is a cancellation, not a completed message.
    if (!acc.sawMessageStop && stream.controller?.signal?.aborted) {
      call.end({ outcome: call.budgetError ? 'budget_aborted' : 'cancelled' });
      return;
    }
    call.end({
      ...(acc.stopReason ? { finishReasons: [acc.stopReason] } : {}),
      ...(acc.model ? { responseModel: acc.model } : {}),
    });
  }

  private _onFailed(error: unknown): void {
    this._clearUnreadTimer();
    const budgetError = this.call.budgetError;
    if (budgetError && !findBudgetExceededError(error)) setCause(error, budgetError);
    this.call.end({ error });
  }

  /** `asResponse()`: the caller took the raw body, which is never read here. */
  private _onRawResponse(): void {
    this._clearUnreadTimer();
    this._endEstimated();
  }

  private _endEstimated(): void {
    const call = this.call;
    if (call.ended) return;
    this._clearUnreadTimer();
    call.recordUsage(this._worstCaseUsage(), true);
    call.end({});
  }

  private _worstCaseUsage(): TokenUsage {
    const usage: TokenUsage = {
      inputTokens: this._estimate.inputTokens,
      outputTokens: this._estimate.maxOutputTokens ?? 0,
    };
    if (this._estimate.cacheWriteTokens !== undefined) usage.cacheWriteTokens = this._estimate.cacheWriteTokens;
    return usage;
  }

  private _startUnreadTimer(): void {
    if (this.call.ended) return;
    const timer = setTimeout(() => {
      this._unreadTimer = undefined;
      try {
        const call = this.call;
        if (call.ended) return;
        call.recordUsage(this._worstCaseUsage(), true);
        call.setAttributes({ [ATTR_COSTTRACE_STREAM_UNREAD]: true });
        call.end({ outcome: 'cancelled' });
      } catch (err) {
        this._hookError(err);
      }
    }, this._options.unreadStreamTimeoutMs);
    timer.unref?.();
    this._unreadTimer = timer;
  }

  private _clearUnreadTimer(): void {
    if (this._unreadTimer !== undefined) clearTimeout(this._unreadTimer);
    this._unreadTimer = undefined;
  }

  private _setResponseAttributes(id: string | undefined, model: string | undefined, serviceTier: string | undefined): void {
    if (id) this.call.setAttributes({ [ATTR_GEN_AI_RESPONSE_ID]: id });
    if (model) this.call.setAttributes({ [ATTR_GEN_AI_RESPONSE_MODEL]: model });
    if (serviceTier) this.call.setAttributes({ [ATTR_ANTHROPIC_RESPONSE_SERVICE_TIER]: serviceTier });
  }

  private _hookError(err: unknown): void {
    this._diag.error('AnthropicInstrumentation: a telemetry hook failed; the call goes on', err);
  }
}

function isAsyncIterable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

function contentText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block['text'] === 'string') text += block['text'];
    else if (typeof block['thinking'] === 'string') text += block['thinking'];
    else if (block['type'] === 'tool_use') text += JSON.stringify(block['input'] ?? null);
  }
  return text;
}

/**
 * A non-streaming call a budget stopped rejects with the SDK's own
 * `APIUserAbortError` (its APIPromise must be returned intact); its `cause`
 * becomes the BudgetExceededError so `findBudgetExceededError(err)` finds it.
 */
function setCause(error: unknown, budgetError: Error): void {
  if (typeof error !== 'object' || error === null) return;
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
