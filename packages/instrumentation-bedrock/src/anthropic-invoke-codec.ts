import type { Attributes } from '@opentelemetry/api';
import { MessagesCodec } from '@costtrace/instrumentation-anthropic';
import { isRecord, type CallCodec, type CallEnd, type CallEstimate, type CallSink, type ResolvedSharedOptions } from '@costtrace/pipeline';
import { ATTR_GEN_AI_RESPONSE_MODEL, type TokenUsage } from '@costtrace/semconv';
import type { BedrockCallState } from './internal-types';
import { decodeJson, readInvocationMetrics } from './read-json';

/**
 * Claude through `InvokeModel` / `InvokeModelWithResponseStream`: the body is
 * the Anthropic Messages API's own JSON (a Message, or each `chunk` one
 * messages stream event), read by the Anthropic instrumentation's
 * {@link MessagesCodec}. Bedrock adds `amazon-bedrock-invocationMetrics` to the
 * last event (`message_stop`) and token-count headers to InvokeModel: used only
 * where the message's own usage is missing.
 *
 * The body's `model` names the Anthropic model (`claude-haiku-4-5-20251001`), not
 * the inference profile called, and the profile sets the price (a `global.`
 * profile costs less than a regional one): the call has no
 * `gen_ai.response.model`, so it is priced by the `modelId` sent.
 */
export class AnthropicInvokeCodec implements CallCodec {
  readonly operation: string;
  readonly chargesStoppedRequests: boolean;
  readonly hides = false;
  readonly requestModel: string;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  private readonly _messages: MessagesCodec;
  private _exact = false;
  private _tracked: CallSink | undefined;

  constructor(
    modelId: string,
    params: Record<string, unknown>,
    readonly streaming: boolean,
    options: ResolvedSharedOptions,
    private readonly _state: BedrockCallState,
  ) {
    // The model is in the path, not the body (which has `anthropic_version` instead).
    this._messages = new MessagesCodec({ ...params, model: modelId }, undefined, streaming, { ...options, sdkSpans: 'keep' });
    this.operation = this._messages.operation;
    this.chargesStoppedRequests = this._messages.chargesStoppedRequests;
    this.requestModel = this._messages.requestModel;
    this.estimate = this._messages.estimate;
    this.attributes = this._messages.attributes;
  }

  onBody(sink: CallSink, output: unknown): CallEnd {
    const json = decodeJson(isRecord(output) ? output['body'] : undefined);
    const end = this._messages.onBody(this._track(sink), isRecord(json) ? json : {});
    const headers = this._state.headerUsage;
    if (!this._exact && headers) sink.recordUsage(headers, false);
    return withoutModel(end);
  }

  onChunk(sink: CallSink, event: unknown): void {
    const chunk = isRecord(event) && isRecord(event['chunk']) ? event['chunk'] : undefined;
    const json = decodeJson(chunk?.['bytes']);
    if (!isRecord(json)) return;
    this._messages.onChunk(this._track(sink), json);
    if (this._exact) return;
    const metrics = readInvocationMetrics(json);
    if (metrics) {
      this._exact = true;
      sink.recordUsage(metrics, false);
    }
  }

  onStreamEnd(sink: CallSink): CallEnd {
    return withoutModel(this._messages.onStreamEnd(this._track(sink)));
  }

  sawStreamEnd(): boolean {
    return this._messages.sawStreamEnd();
  }

  estimatedUsage(): TokenUsage {
    return this._messages.estimatedUsage();
  }

  hide(): boolean {
    return false;
  }

  /** `sink` (always the same call's), noting when the messages codec records the provider's own count. */
  private _track(sink: CallSink): CallSink {
    return (this._tracked ??= {
      get wantsRunningUsage() {
        return sink.wantsRunningUsage;
      },
      recordUsage: (usage, estimated) => {
        if (!estimated) this._exact = true;
        sink.recordUsage(usage, estimated);
      },
      setAttributes: (attributes) => {
        if (attributes[ATTR_GEN_AI_RESPONSE_MODEL] === undefined) return sink.setAttributes(attributes);
        const { [ATTR_GEN_AI_RESPONSE_MODEL]: _model, ...rest } = attributes;
        sink.setAttributes(rest);
      },
    });
  }
}

function withoutModel(end: CallEnd): CallEnd {
  const { responseModel: _model, ...rest } = end;
  return rest;
}
