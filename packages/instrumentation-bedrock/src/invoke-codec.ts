import { isRecord, type CallEnd, type CallSink } from '@costtrace/pipeline';
import { BedrockCodec, finish } from './bedrock-codec';
import { callEstimate, estimateInput } from './estimate-tokens';
import type { InvokeFamily } from './invoke-families';
import type { BedrockCallState } from './internal-types';
import { decodeJson, readInvocationMetrics } from './read-json';
import { requestAttributes } from './request-attributes';

/**
 * `InvokeModel` and `InvokeModelWithResponseStream` for a model family other
 * than Anthropic: the body's bytes (or each `chunk`'s) decoded as the family's
 * JSON. Usage, in order: the family's own counts, the stream's last
 * `amazon-bedrock-invocationMetrics`, InvokeModel's token-count headers, else
 * our estimate.
 */
export class InvokeCodec extends BedrockCodec {
  constructor(
    requestModel: string,
    params: Record<string, unknown>,
    streaming: boolean,
    private readonly _family: InvokeFamily,
    private readonly _state: BedrockCallState,
  ) {
    super(
      requestModel,
      streaming,
      callEstimate(() => estimateInput(params, _family.promptFields), _family.maxTokens(params)),
      requestAttributes(_family.maxTokens(params), _family.temperature(params), streaming),
    );
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
    if (metrics) this._sawLast = true;
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
}
