import type { Attributes } from '@opentelemetry/api';
import { asObject, lazyEstimate, type CallEnd, type CallEstimate, type CallSink } from '@costtrace/pipeline';
import { GEN_AI_OPERATION_NAME_VALUE_CHAT, type TokenUsage } from '@costtrace/semconv';
import { chatInputAttributes, chatOutputAttributes, streamOutputAttributes } from './content';
import { estimateChatInput } from './estimate-input';
import { ChatShapedCall } from './chat-shaped-call';
import type { Params, ResourceLike, SurfaceDeps } from './internal-types';
import { intParam, requestAttributes, serverAttributes, serviceTier } from './request-attributes';
import { byIndex } from './response-header';

type Json = Record<string, unknown>;

/** `chat.completions.create`, plain or streamed; also what the SDK's `stream()`/`parse()` helpers call. */
export class ChatCompletionsCall extends ChatShapedCall {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  private readonly _running = new Map<number, number>();
  /**
   * Chunk texts not counted yet, flat (choice index, then text): counted at the end only if the
   * provider's usage never came. Flat, so a chunk adds no array of its own.
   */
  private readonly _uncounted: Array<number | string> = [];
  private readonly _texts = new Map<number, string>();

  constructor(_params: Params, resource: ResourceLike | undefined, _deps: SurfaceDeps) {
    super(_params, _deps);
    const maxOutputTokens = intParam(_params, 'max_completion_tokens', 'max_tokens');
    const choices = intParam(_params, 'n') ?? 1;
    this.estimate = lazyEstimate(() => estimateChatInput(_params, this.requestModel, _deps.counter), {
      choices: Math.max(1, choices),
      ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
      ...(serviceTier(_params) === undefined ? {} : { serviceTier: serviceTier(_params) }),
    });
    this.attributes = {
      ...serverAttributes(resource),
      ...requestAttributes(_params, maxOutputTokens, choices),
      ...(_deps.options.captureMessageContent ? chatInputAttributes(_params['messages'], _deps.options.contentMaxLength) : {}),
    };
  }

  onBody(call: CallSink, body: unknown): CallEnd {
    const completion = this._readBody(call, body);
    if (!completion) return {};
    const choices = Array.isArray(completion['choices']) ? completion['choices'] : [];
    const finishReasons: string[] = [];
    let outputText = '';
    for (const choice of choices) {
      const c = asObject(choice);
      if (typeof c?.['finish_reason'] === 'string') finishReasons.push(c['finish_reason']);
      outputText += messageText(asObject(c?.['message']));
    }
    this._recordBodyUsage(call, completion, outputText);
    if (this._deps.options.captureMessageContent) {
      call.setAttributes(chatOutputAttributes(choices, this._deps.options.contentMaxLength));
    }
    return this._header.end(finishReasons);
  }

  onChunk(call: CallSink, chunk: unknown): void {
    const c = this._readChunk(chunk);
    if (!c) return;
    let counted = false;
    for (const choice of Array.isArray(c['choices']) ? c['choices'] : []) {
      const ch = asObject(choice);
      if (!ch) continue;
      const index = typeof ch['index'] === 'number' ? ch['index'] : 0;
      if (typeof ch['finish_reason'] === 'string') this._finishReasons.set(index, ch['finish_reason']);
      const text = messageText(asObject(ch['delta']));
      if (text === '') continue;
      if (this._deps.options.captureMessageContent) this._append(index, text);
      if (this._providerUsage) continue;
      if (call.wantsRunningUsage) {
        this._running.set(index, (this._running.get(index) ?? 0) + this._count(text));
        counted = true;
      } else {
        this._uncounted.push(index, text);
      }
    }
    if (!this._recordChunkUsage(call, c) && counted && !this._providerUsage) {
      call.recordUsage(this._runningUsage(), true);
    }
  }

  onStreamEnd(call: CallSink): CallEnd {
    if (!this._providerUsage) call.recordUsage(this._runningUsage(), true);
    call.setAttributes(this._header.attributes());
    if (this._deps.options.captureMessageContent) call.setAttributes(streamOutputAttributes(this._texts, this._finishReasons));
    return this._header.end(byIndex(this._finishReasons));
  }

  estimatedUsage(): TokenUsage {
    const max = this.estimate.maxOutputTokens;
    return { inputTokens: this.estimate.inputTokens, ...(max === undefined ? {} : { outputTokens: max * this.estimate.choices }) };
  }

  private _runningUsage(): TokenUsage {
    const uncounted = this._uncounted;
    for (let i = 0; i < uncounted.length; i += 2) {
      const index = uncounted[i] as number;
      this._running.set(index, (this._running.get(index) ?? 0) + this._count(uncounted[i + 1] as string));
    }
    this._uncounted.length = 0;
    let outputTokens = 0;
    for (const n of this._running.values()) outputTokens += n;
    return { inputTokens: this.estimate.inputTokens, outputTokens };
  }

  private _append(index: number, text: string): void {
    const sofar = this._texts.get(index) ?? '';
    const max = this._deps.options.contentMaxLength;
    if (sofar.length > max) return; // already cut
    const next = sofar + text;
    this._texts.set(index, next.length > max ? `${next.slice(0, max)}…` : next);
  }
}

/** The text a message or delta adds: content, refusal, and tool call names and arguments. */
function messageText(message: Json | undefined): string {
  if (!message) return '';
  let text = '';
  if (typeof message['content'] === 'string') text += message['content'];
  if (typeof message['refusal'] === 'string') text += message['refusal'];
  for (const call of Array.isArray(message['tool_calls']) ? message['tool_calls'] : []) {
    const fn = asObject(asObject(call)?.['function']);
    if (typeof fn?.['name'] === 'string') text += fn['name'];
    if (typeof fn?.['arguments'] === 'string') text += fn['arguments'];
  }
  return text;
}
