import type { Attributes } from '@opentelemetry/api';
import { asObject, lazyEstimate, type CallEnd, type CallEstimate, type CallSink } from '@costtrace/pipeline';
import {
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  type TokenUsage,
} from '@costtrace/semconv';
import { responsesInputAttributes, responsesOutputAttributes } from './content';
import { estimateResponsesInput } from './estimate-input';
import type { Params, ResourceLike, SurfaceCall, SurfaceDeps } from './internal-types';
import { providerCostAttributes } from './provider-cost';
import { intParam, requestAttributes, serverAttributes, serviceTier, withSignal } from './request-attributes';
import { responsesUsage } from './wire-usage';

type Json = Record<string, unknown>;

/** Events whose `response` is the final response object (usage included). */
const TERMINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
/**
 * The usage of a response that failed without usage (an `error` event, or `response.failed` with
 * `usage: null`): OpenAI bills nothing for it, so nothing is charged, the provider's word (not an
 * estimate) that there were no billable tokens. A running estimate recorded while the stream ran
 * is replaced, so a budget gets that charge back.
 */
function nothingBilled(): TokenUsage {
  return { inputTokens: 0, outputTokens: 0 };
}
/** Delta events that are not generated text: base64 audio. */
const NON_TEXT_DELTAS = new Set(['response.audio.delta', 'response.image_generation_call.partial_image']);

/**
 * `responses.create`, plain or streamed, and so the `responses.stream()` and
 * `responses.parse()` helpers. `stream_options` is not touched: the stream's
 * `response.completed` event carries the usage.
 */
export class ResponsesCall implements SurfaceCall {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  readonly requestModel: string;
  readonly streaming: boolean;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  readonly hides = false;
  readonly chargesStoppedRequests = true;
  private _running = 0;
  /** Delta texts not counted yet: counted at the end only if the provider's usage never came. */
  private readonly _uncounted: string[] = [];
  private _providerUsage = false;
  private _id: string | undefined;
  private _model: string | undefined;
  private _tier: string | undefined;
  private _status: string | undefined;
  private _incompleteReason: string | undefined;
  private _failure: { name: string; message: string } | undefined;
  private _output: unknown;

  constructor(
    private readonly _params: Params,
    resource: ResourceLike | undefined,
    private readonly _deps: SurfaceDeps,
  ) {
    this.requestModel = String(_params['model']);
    this.streaming = _params['stream'] === true;
    const maxOutputTokens = intParam(_params, 'max_output_tokens');
    this.estimate = lazyEstimate(() => estimateResponsesInput(_params, this.requestModel, _deps.counter), {
      choices: 1,
      ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
      ...(serviceTier(_params) === undefined ? {} : { serviceTier: serviceTier(_params) }),
    });
    this.attributes = {
      ...serverAttributes(resource),
      ...requestAttributes(_params, maxOutputTokens, 1),
      ...(_deps.options.captureMessageContent ? responsesInputAttributes(_params, _deps.options.contentMaxLength) : {}),
    };
  }

  sendArgs(args: readonly unknown[], model: string, signal: AbortSignal | undefined): unknown[] {
    return [{ ...this._params, model }, withSignal(args[1], signal), ...args.slice(2)];
  }

  onBody(call: CallSink, body: unknown): CallEnd {
    const response = asObject(body);
    if (!response) {
      call.recordUsage(this.estimatedUsage(), true);
      return {};
    }
    this._readResponse(response);
    const usage = responsesUsage(response['usage']);
    if (usage) call.recordUsage(usage, false);
    else if (this._failure || this._status === 'failed') call.recordUsage(nothingBilled(), false);
    else call.recordUsage({ inputTokens: this.estimate.inputTokens, outputTokens: this._count(outputText(response['output'])) }, true);
    call.setAttributes(providerCostAttributes(response['usage']));
    return this._finish(call, response['output']);
  }

  onChunk(call: CallSink, chunk: unknown): void {
    const event = asObject(chunk);
    const type = event?.['type'];
    if (!event || typeof type !== 'string') return;
    const response = asObject(event['response']);
    if (response) this._readResponse(response);
    if (TERMINAL_EVENTS.has(type) && response) {
      const usage = responsesUsage(response['usage']);
      if (usage) {
        this._providerUsage = true;
        call.recordUsage(usage, false);
        call.setAttributes(providerCostAttributes(response['usage']));
      }
      this._output = response['output'];
      return;
    }
    if (type === 'error') {
      // openai 4 to 6 hand the stream's `error` event to the caller as an
      // ordinary event and then end quietly; 7 throws it as an APIError.
      // The event's fields are its own (`code`, `message`) or, as recorded in 2025, under `error`.
      const error = asObject(event['error']);
      this._failure = {
        name: stringOr(event['code'], stringOr(error?.['code'], 'server_error')),
        message: stringOr(event['message'], stringOr(error?.['message'], 'stream error')),
      };
      return;
    }
    if (type.endsWith('.delta') && !NON_TEXT_DELTAS.has(type) && typeof event['delta'] === 'string') {
      if (this._providerUsage) return;
      if (!call.wantsRunningUsage) {
        this._uncounted.push(event['delta']);
        return;
      }
      this._running += this._count(event['delta']);
      call.recordUsage({ inputTokens: this.estimate.inputTokens, outputTokens: this._running }, true);
    }
  }

  hide(): boolean {
    return false;
  }

  /**
   * openai 4 to 7 throw an event that carries an `error` (the `error` event as the API sends it,
   * `{ type: 'error', error: { code, message } }`) from the stream's iterator as an `APIError`
   * with no HTTP status and the event's `error` object: the stream failed and is billed nothing.
   */
  onStreamError(error: unknown): void {
    const e = asObject(error);
    const body = asObject(e?.['error']);
    if (!e || e['status'] !== undefined || !body) return;
    this._failure = { name: stringOr(body['code'], stringOr(body['type'], 'server_error')), message: stringOr(body['message'], 'stream error') };
  }

  onStreamEnd(call: CallSink): CallEnd {
    if (this._providerUsage) return this._finish(call, this._output);
    if (this._failure || this._status === 'failed') {
      // A stream that failed (an `error` event, `response.failed`) without usage was billed nothing.
      call.recordUsage(nothingBilled(), false);
      return this._finish(call, this._output);
    }
    for (const text of this._uncounted) this._running += this._count(text);
    this._uncounted.length = 0;
    call.recordUsage({ inputTokens: this.estimate.inputTokens, outputTokens: this._running }, true);
    return this._finish(call, this._output);
  }

  estimatedUsage(): TokenUsage {
    const max = this.estimate.maxOutputTokens;
    return { inputTokens: this.estimate.inputTokens, ...(max === undefined ? {} : { outputTokens: max }) };
  }

  private _finish(call: CallSink, output: unknown): CallEnd {
    const attrs: Attributes = {};
    if (this._id !== undefined) attrs[ATTR_GEN_AI_RESPONSE_ID] = this._id;
    if (this._model !== undefined) attrs[ATTR_GEN_AI_RESPONSE_MODEL] = this._model;
    if (this._tier !== undefined) attrs[ATTR_OPENAI_RESPONSE_SERVICE_TIER] = this._tier;
    call.setAttributes(attrs);
    if (this._deps.options.captureMessageContent && output !== undefined) {
      call.setAttributes(responsesOutputAttributes(output, this._status, this._deps.options.contentMaxLength));
    }
    if (this._status === 'failed' && !this._failure) this._failure = { name: 'response_failed', message: 'response failed' };
    // The Responses API has no per-choice finish reason; its status is the
    // nearest thing, and an incomplete response says why (`max_output_tokens`).
    const reason = this._status === 'incomplete' ? (this._incompleteReason ?? 'incomplete') : this._status;
    return {
      ...(reason === undefined ? {} : { finishReasons: [reason] }),
      ...(this._model === undefined ? {} : { responseModel: this._model }),
      ...(this._failure ? { error: this._failure } : {}),
    };
  }

  private _readResponse(response: Json): void {
    if (typeof response['id'] === 'string' && response['id'] !== '') this._id = response['id'];
    if (typeof response['model'] === 'string' && response['model'] !== '') this._model = response['model'];
    if (typeof response['service_tier'] === 'string' && response['service_tier'] !== '') this._tier = response['service_tier'];
    if (typeof response['status'] === 'string') this._status = response['status'];
    const incomplete = asObject(response['incomplete_details'])?.['reason'];
    if (typeof incomplete === 'string') this._incompleteReason = incomplete;
    const error = asObject(response['error']);
    if (response['status'] === 'failed' && error) {
      this._failure = { name: stringOr(error['code'], 'response_failed'), message: stringOr(error['message'], 'response failed') };
    }
  }

  private _count(text: string): number {
    return this._deps.counter.count(text, this._model ?? this.requestModel);
  }
}

/** Generated text of a Responses `output`: message text, refusals, function call arguments. */
function outputText(output: unknown): string {
  let text = '';
  for (const item of Array.isArray(output) ? output : []) {
    const i = asObject(item);
    if (!i) continue;
    if (typeof i['arguments'] === 'string') text += i['arguments'];
    for (const part of Array.isArray(i['content']) ? i['content'] : []) {
      const p = asObject(part);
      if (typeof p?.['text'] === 'string') text += p['text'];
      if (typeof p?.['refusal'] === 'string') text += p['refusal'];
    }
  }
  return text;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
