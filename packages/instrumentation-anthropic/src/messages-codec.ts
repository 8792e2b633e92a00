import type { Attributes } from '@opentelemetry/api';
import { isRecord, type CallCodec, type CallEnd, type CallEstimate, type CallSink } from '@costtrace/pipeline';
import {
  ATTR_ANTHROPIC_RESPONSE_SERVICE_TIER,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  type TokenUsage,
} from '@costtrace/semconv';
import { estimateRequest, OutputEstimate } from './estimate-tokens';
import type { MessageParams } from './internal-types';
import { outputContentAttributes } from './message-content';
import type { ResolvedOptions } from './options';
import { completeUsage, readAnthropicUsage, readServiceTier } from './read-anthropic-usage';
import { requestAttributes } from './request-attributes';
import { StreamAccumulator } from './stream-accumulator';

/** The Anthropic Messages API's wire shapes for one call: a Message body, or its stream events. */
export class MessagesCodec implements CallCodec {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  // Anthropic bills nothing for a request stopped before its message: no estimate is charged.
  readonly chargesStoppedRequests = false;
  readonly hides = false;
  readonly requestModel: string;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  private readonly _acc: StreamAccumulator;

  constructor(
    params: MessageParams,
    baseURL: unknown,
    readonly streaming: boolean,
    private readonly _options: ResolvedOptions,
  ) {
    this.requestModel = typeof params['model'] === 'string' ? params['model'] : 'unknown';
    this.estimate = estimateRequest(params);
    this.attributes = requestAttributes(params, baseURL, streaming);
    this._acc = new StreamAccumulator(_options.captureMessageContent);
  }

  onBody(sink: CallSink, message: unknown): CallEnd {
    const body = isRecord(message) ? message : {};
    const usage = readAnthropicUsage(body['usage']);
    if (usage && usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
      sink.recordUsage(usage, false);
    } else {
      // Usage missing or malformed: keep the budget conservative with our own count.
      const output = new OutputEstimate();
      output.add(contentText(body['content']));
      sink.recordUsage(completeUsage(usage, this.estimate.inputTokens, output.tokens), true);
    }
    const stopReason = typeof body['stop_reason'] === 'string' ? body['stop_reason'] : undefined;
    const model = typeof body['model'] === 'string' ? body['model'] : undefined;
    sink.setAttributes(responseAttributes(typeof body['id'] === 'string' ? body['id'] : undefined, model, readServiceTier(body['usage'])));
    if (this._options.captureMessageContent) {
      sink.setAttributes(outputContentAttributes(body['content'], stopReason, this._options.contentMaxLength));
    }
    return { ...(stopReason ? { finishReasons: [stopReason] } : {}), ...(model ? { responseModel: model } : {}) };
  }

  onChunk(sink: CallSink, event: unknown): void {
    const update = this._acc.add(event);
    if (!update) return;
    const usage = update.estimated ? completeUsage(update.usage, this.estimate.inputTokens, update.usage.outputTokens ?? 0) : update.usage;
    sink.recordUsage(usage, update.estimated);
  }

  onStreamEnd(sink: CallSink): CallEnd {
    const acc = this._acc;
    if (!acc.finalUsage) {
      const running = acc.runningUsage();
      sink.recordUsage(completeUsage(running, this.estimate.inputTokens, running.outputTokens ?? 0), true);
    }
    sink.setAttributes(responseAttributes(acc.id, acc.model, acc.serviceTier));
    if (this._options.captureMessageContent) {
      sink.setAttributes(outputContentAttributes(acc.content, acc.stopReason, this._options.contentMaxLength));
    }
    return { ...(acc.stopReason ? { finishReasons: [acc.stopReason] } : {}), ...(acc.model ? { responseModel: acc.model } : {}) };
  }

  sawStreamEnd(): boolean {
    return this._acc.sawMessageStop;
  }

  /** The worst case: the input estimate, `max_tokens` of output, the cache writes asked for. */
  estimatedUsage(): TokenUsage {
    const usage: TokenUsage = { inputTokens: this.estimate.inputTokens, outputTokens: this.estimate.maxOutputTokens ?? 0 };
    if (this.estimate.cacheWriteTokens !== undefined) usage.cacheWriteTokens = this.estimate.cacheWriteTokens;
    return usage;
  }

  hide(): boolean {
    return false;
  }
}

function responseAttributes(id: string | undefined, model: string | undefined, serviceTier: string | undefined): Attributes {
  const attrs: Attributes = {};
  if (id) attrs[ATTR_GEN_AI_RESPONSE_ID] = id;
  if (model) attrs[ATTR_GEN_AI_RESPONSE_MODEL] = model;
  if (serviceTier) attrs[ATTR_ANTHROPIC_RESPONSE_SERVICE_TIER] = serviceTier;
  return attrs;
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
