import type { Attributes } from '@opentelemetry/api';
import { OutputEstimate } from '@costtrace/instrumentation-anthropic';
import type { CallCodec, CallEnd, CallEstimate, CallSink } from '@costtrace/pipeline';
import { GEN_AI_OPERATION_NAME_VALUE_CHAT, type TokenUsage } from '@costtrace/semconv';
import { worstCase } from './estimate-tokens';

/**
 * What the Converse and the non-Anthropic InvokeModel codecs share: a chat
 * call, nothing charged for a request stopped before its response, nothing
 * hidden from the caller, and our own output count while no usage has come.
 * A subclass reads its API's body and events, sets `_final` when the usage
 * arrives, `_stopReason` from the stream, and `_sawLast` on the event that
 * ends a stream.
 */
export abstract class BedrockCodec implements CallCodec {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  // What Bedrock bills for a request stopped before its response is not known: nothing is charged.
  readonly chargesStoppedRequests = false;
  readonly hides = false;
  protected readonly _output = new OutputEstimate();
  protected _final: TokenUsage | undefined;
  protected _stopReason: string | undefined;
  protected _sawLast = false;

  constructor(
    readonly requestModel: string,
    readonly streaming: boolean,
    readonly estimate: CallEstimate,
    readonly attributes: Attributes,
  ) {}

  abstract onBody(sink: CallSink, output: unknown): CallEnd;

  abstract onChunk(sink: CallSink, event: unknown): void;

  onStreamEnd(sink: CallSink): CallEnd {
    if (!this._final) sink.recordUsage(this._running(), true);
    return finish(this._stopReason);
  }

  sawStreamEnd(): boolean {
    return this._sawLast;
  }

  estimatedUsage(): TokenUsage {
    return worstCase(this.estimate);
  }

  hide(): boolean {
    return false;
  }

  protected _running(): TokenUsage {
    return { inputTokens: this.estimate.inputTokens, outputTokens: this._output.tokens };
  }
}

/** The call's end from a stop reason, when there is one. */
export function finish(stopReason: string | undefined): CallEnd {
  return stopReason ? { finishReasons: [stopReason] } : {};
}
