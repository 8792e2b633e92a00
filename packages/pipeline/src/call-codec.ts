import type { Attributes } from '@opentelemetry/api';
import type { TokenUsage } from '@costtrace/semconv';
import type { CallEnd } from './inference-call';
import type { CallEstimate } from './types';

/** What a codec writes to: the call's usage and span attributes (an {@link InferenceCall}). */
export interface CallSink {
  /**
   * True when someone (a budget) wants usage while a stream runs. Without it a
   * codec may leave counting a stream's tokens to its end, and skip it when
   * the provider's own count arrives.
   */
  readonly wantsRunningUsage: boolean;
  recordUsage(usage: TokenUsage, estimated: boolean): void;
  setAttributes(attributes: Attributes): void;
}

/**
 * One provider API's wire shapes for one call: what its request asks for, and
 * how to read its response body or stream events. A codec knows nothing of
 * spans' lives, budgets, SDK objects or timers; {@link CallLifecycle} does.
 */
export interface CallCodec {
  /** `gen_ai.operation.name`. */
  readonly operation: string;
  /** The model the request asks for. */
  readonly requestModel: string;
  readonly streaming: boolean;
  /** Worst-case size of the call, before it is sent. */
  readonly estimate: CallEstimate;
  /** Request attributes of the span (`server.address`, `gen_ai.request.*`, content when opted in). */
  readonly attributes: Attributes;
  /** Reads a non-streaming response body (usage, response id and model, finish reasons). */
  onBody(sink: CallSink, body: unknown): CallEnd;
  /** Reads one stream chunk or event, before the caller gets it. */
  onChunk(sink: CallSink, chunk: unknown): void;
  /** Called once when the stream is done, however it ended: records final attributes and usage. */
  onStreamEnd(sink: CallSink): CallEnd;
  /**
   * True when the stream's own end event arrived, so an aborted SDK controller
   * afterwards does not make it a cancellation. Absent: the controller decides.
   */
  sawStreamEnd?(): boolean;
  /** Usage when the body is never read: the input estimate, plus the output cap when the request has one. */
  estimatedUsage(): TokenUsage;
  /** Whether a request stopped in flight is charged {@link estimatedUsage} (it may be billed for its input). */
  readonly chargesStoppedRequests: boolean;
  /** True when {@link hide} has anything to do. */
  readonly hides: boolean;
  /** True when the chunk is ours (an injected usage chunk) and the caller must not see it; may clean it in place. */
  hide(chunk: unknown): boolean;
}

/**
 * A {@link CallEstimate} whose input count is computed on first read: the
 * gate reads it only for a call under a budget, and tokenizing a prompt costs
 * about 0.2 µs per token.
 */
export function lazyEstimate(inputTokens: () => number, rest: Omit<CallEstimate, 'inputTokens'>): CallEstimate {
  return new LazyEstimate(inputTokens, rest);
}

/**
 * The lazy estimate: its fields are read through the class (an object literal with an accessor
 * costs V8 a runtime call, about 7,000 instructions, on every call). What a gate is shown is
 * {@link plainEstimate}'s object, made only when the gate reads it.
 */
class LazyEstimate implements CallEstimate {
  private _computed: number | undefined;
  private _plain: CallEstimate | undefined;

  constructor(
    private readonly _count: () => number,
    private readonly _rest: Omit<CallEstimate, 'inputTokens'>,
  ) {}

  get inputTokens(): number {
    return (this._computed ??= this._count());
  }

  get maxOutputTokens(): number | undefined {
    return this._rest.maxOutputTokens;
  }

  get choices(): number {
    return this._rest.choices;
  }

  get cacheWriteTokens(): number | undefined {
    return this._rest.cacheWriteTokens;
  }

  get serviceTier(): string | undefined {
    return this._rest.serviceTier;
  }

  /** The estimate as one object of its own fields, the input count an enumerable accessor (computed once, here or above). */
  plain(): CallEstimate {
    if (this._plain !== undefined) return this._plain;
    const self = this;
    this._plain = {
      ...this._rest,
      get inputTokens(): number {
        return self.inputTokens;
      },
    };
    return this._plain;
  }
}

/** `estimate` as a gate sees it: an object whose fields are its own (spread, compared), the input count computed on first read. */
export function plainEstimate(estimate: CallEstimate): CallEstimate {
  return estimate instanceof LazyEstimate ? estimate.plain() : estimate;
}
