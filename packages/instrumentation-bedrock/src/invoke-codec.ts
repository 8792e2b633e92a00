import type { Attributes } from '@opentelemetry/api';
import type { CallCodec, CallEnd, CallEstimate, CallSink } from '@costtrace/pipeline';
import { GEN_AI_OPERATION_NAME_VALUE_CHAT, type TokenUsage } from '@costtrace/semconv';
import { callEstimate, estimateInput, OutputEstimate, worstCase } from './estimate-tokens';
import type { InvokeFamily } from './invoke-families';
import type { BedrockCallState } from './internal-types';
import { decodeJson, isRecord, readInvocationMetrics } from './read-json';
import { requestAttributes } from './request-attributes';

/**
 * `InvokeModel` and `InvokeModelWithResponseStream` for a model family other
 * than Anthropic: the body's bytes (or each `chunk`'s) decoded as the family's
 * JSON. Usage, in order: the family's own counts, the stream's last
 * `amazon-bedrock-invocationMetrics`, InvokeModel's token-count headers, else
 * our estimate.
 */
export class InvokeCodec implements CallCodec {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  readonly chargesStoppedRequests = false;
  readonly hides = false;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  private readonly _output = new OutputEstimate();
  private _final: TokenUsage | undefined;
  private _stopReason: string | undefined;
  private _sawMetrics = false;

  constructor(
    readonly requestModel: string,
    params: Record<string, unknown>,
    readonly streaming: boolean,
    private readonly _family: InvokeFamily,
    private readonly _state: BedrockCallState,
  ) {
    this.estimate = callEstimate(() => estimateInput(params, _family.promptFields), _family.maxTokens(params));
    this.attributes = requestAttributes(_family.maxTokens(params), _family.temperature(params), streaming);
  }

  /** `output` is the SDK's InvokeModel output: its `body` holds the model's JSON as bytes. */
  onBody(sink: CallSink, output: unknown): CallEnd {
    const json = decodeJson(isRecord(output) ? output['body'] : undefined);
    const read = this._family.body(isRecord(json) ? json : {});
    const usage = read.usage ?? this._state.headerUsage;
    if (usage) sink.recordUsage(usage, false);
    else {
      this._output.add(read.text);
      sink.recordUsage(this._running(), true);
    }
    return finish(read.stopReason);
  }

  /** `event` is one `ResponseStream` member: `{ chunk: { bytes } }`. */
  onChunk(sink: CallSink, event: unknown): void {
    const chunk = isRecord(event) && isRecord(event['chunk']) ? event['chunk'] : undefined;
    const json = decodeJson(chunk?.['bytes']);
    if (!isRecord(json)) return;
    const read = this._family.chunk(json);
    if (read.stopReason) this._stopReason = read.stopReason;
    const metrics = readInvocationMetrics(json);
    if (metrics) this._sawMetrics = true;
    const usage = read.usage ?? metrics;
    if (usage && !this._final) {
      this._final = usage;
      sink.recordUsage(usage, false);
      return;
    }
    if (read.text === '') return;
    this._output.add(read.text);
    if (sink.wantsRunningUsage && !this._final) sink.recordUsage(this._running(), true);
  }

  onStreamEnd(sink: CallSink): CallEnd {
    if (!this._final) sink.recordUsage(this._running(), true);
    return finish(this._stopReason);
  }

  /** The last chunk carries the invocation metrics. */
  sawStreamEnd(): boolean {
    return this._sawMetrics;
  }

  estimatedUsage(): TokenUsage {
    return worstCase(this.estimate);
  }

  hide(): boolean {
    return false;
  }

  private _running(): TokenUsage {
    return { inputTokens: this.estimate.inputTokens, outputTokens: this._output.tokens };
  }
}

function finish(stopReason: string | undefined): CallEnd {
  return stopReason ? { finishReasons: [stopReason] } : {};
}
