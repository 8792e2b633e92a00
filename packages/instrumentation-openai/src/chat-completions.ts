import type { Attributes } from '@opentelemetry/api';
import { asObject, lazyEstimate, type CallEnd, type CallEstimate, type CallSink } from '@costtrace/pipeline';
import {
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  type TokenUsage,
} from '@costtrace/semconv';
import { chatInputAttributes, chatOutputAttributes, streamOutputAttributes } from './content';
import { estimateChatInput } from './estimate-input';
import type { Params, ResourceLike, SurfaceCall, SurfaceDeps } from './internal-types';
import { providerCostAttributes } from './provider-cost';
import { intParam, requestAttributes, serverAttributes, serviceTier, withSignal } from './request-attributes';
import { chatUsage } from './wire-usage';

type Json = Record<string, unknown>;

/** `chat.completions.create`, plain or streamed; also what the SDK's `stream()`/`parse()` helpers call. */
export class ChatCompletionsCall implements SurfaceCall {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  readonly requestModel: string;
  readonly streaming: boolean;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  readonly hides: boolean;
  readonly chargesStoppedRequests = true;
  private readonly _injectUsage: boolean;
  private readonly _running = new Map<number, number>();
  /**
   * Chunk texts not counted yet, flat (choice index, then text): counted at the end only if the
   * provider's usage never came. Flat, so a chunk adds no array of its own.
   */
  private readonly _uncounted: Array<number | string> = [];
  private readonly _texts = new Map<number, string>();
  private readonly _finishReasons = new Map<number, string>();
  private _providerUsage = false;
  private _id: string | undefined;
  private _model: string | undefined;
  private _tier: string | undefined;

  constructor(
    private readonly _params: Params,
    resource: ResourceLike | undefined,
    private readonly _deps: SurfaceDeps,
  ) {
    this.requestModel = String(_params['model']);
    this.streaming = _params['stream'] === true;
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
    // Without `include_usage` a chat stream carries no usage at all, so it is
    // added; what it adds to the stream is then taken out again (see hide()).
    const streamOptions = asObject(_params['stream_options']);
    this._injectUsage = this.streaming && streamOptions?.['include_usage'] !== true;
    this.hides = this._injectUsage && _deps.options.hideInjectedUsageChunk;
  }

  sendArgs(args: readonly unknown[], model: string, signal: AbortSignal | undefined): unknown[] {
    const params: Params = { ...this._params, model };
    if (this._injectUsage) params['stream_options'] = { ...asObject(this._params['stream_options']), include_usage: true };
    return [params, withSignal(args[1], signal), ...args.slice(2)];
  }

  onBody(call: CallSink, body: unknown): CallEnd {
    const completion = asObject(body);
    if (!completion) {
      call.recordUsage(this.estimatedUsage(), true);
      return {};
    }
    this._readHeader(completion);
    const choices = Array.isArray(completion['choices']) ? completion['choices'] : [];
    const finishReasons: string[] = [];
    let outputText = '';
    for (const choice of choices) {
      const c = asObject(choice);
      if (typeof c?.['finish_reason'] === 'string') finishReasons.push(c['finish_reason']);
      outputText += messageText(asObject(c?.['message']));
    }
    const usage = chatUsage(completion['usage']);
    if (usage) call.recordUsage(usage, false);
    else call.recordUsage({ inputTokens: this.estimate.inputTokens, outputTokens: this._count(outputText) }, true);
    call.setAttributes({ ...this._responseAttributes(), ...providerCostAttributes(completion['usage']) });
    if (this._deps.options.captureMessageContent) {
      call.setAttributes(chatOutputAttributes(choices, this._deps.options.contentMaxLength));
    }
    return { finishReasons, ...(this._model === undefined ? {} : { responseModel: this._model }) };
  }

  onChunk(call: CallSink, chunk: unknown): void {
    const c = asObject(chunk);
    if (!c) return;
    this._readHeader(c);
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
    const usage = c['usage'] === null || c['usage'] === undefined ? undefined : chatUsage(c['usage']);
    if (usage) {
      this._providerUsage = true;
      call.recordUsage(usage, false);
      call.setAttributes(providerCostAttributes(c['usage']));
    } else if (counted && !this._providerUsage) {
      call.recordUsage(this._runningUsage(), true);
    }
  }

  hide(chunk: unknown): boolean {
    if (!this.hides) return false;
    const c = asObject(chunk);
    if (!c) return false;
    // The chunk include_usage adds: no choices, the usage. Every other chunk
    // gets `usage: null`, which the caller would not have seen either.
    if (Array.isArray(c['choices']) && c['choices'].length === 0 && asObject(c['usage'])) return true;
    if (c['usage'] === null) delete c['usage'];
    return false;
  }

  onStreamEnd(call: CallSink): CallEnd {
    if (!this._providerUsage) call.recordUsage(this._runningUsage(), true);
    call.setAttributes(this._responseAttributes());
    if (this._deps.options.captureMessageContent) call.setAttributes(streamOutputAttributes(this._texts, this._finishReasons));
    const finishReasons = [...this._finishReasons.entries()].sort((a, b) => a[0] - b[0]).map(([, reason]) => reason);
    return { finishReasons, ...(this._model === undefined ? {} : { responseModel: this._model }) };
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

  private _count(text: string): number {
    return this._deps.counter.count(text, this._model ?? this.requestModel);
  }

  private _append(index: number, text: string): void {
    const sofar = this._texts.get(index) ?? '';
    const max = this._deps.options.contentMaxLength;
    if (sofar.length > max) return; // already cut
    const next = sofar + text;
    this._texts.set(index, next.length > max ? `${next.slice(0, max)}…` : next);
  }

  private _readHeader(body: Json): void {
    if (typeof body['id'] === 'string' && body['id'] !== '') this._id = body['id'];
    if (typeof body['model'] === 'string' && body['model'] !== '') this._model = body['model'];
    if (typeof body['service_tier'] === 'string' && body['service_tier'] !== '') this._tier = body['service_tier'];
  }

  private _responseAttributes(): Attributes {
    const attrs: Attributes = {};
    if (this._id !== undefined) attrs[ATTR_GEN_AI_RESPONSE_ID] = this._id;
    if (this._model !== undefined) attrs[ATTR_GEN_AI_RESPONSE_MODEL] = this._model;
    if (this._tier !== undefined) attrs[ATTR_OPENAI_RESPONSE_SERVICE_TIER] = this._tier;
    return attrs;
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
