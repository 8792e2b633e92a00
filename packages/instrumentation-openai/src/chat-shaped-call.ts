import type { Attributes } from '@opentelemetry/api';
import { asObject, type CallEnd, type CallEstimate, type CallSink } from '@costtrace/pipeline';
import type { TokenUsage } from '@costtrace/semconv';
import type { Params, SurfaceCall, SurfaceDeps } from './internal-types';
import { providerCostAttributes } from './provider-cost';
import { withSignal } from './request-attributes';
import { ResponseHeader } from './response-header';
import { chatUsage } from './wire-usage';

/**
 * What chat completions and legacy completions share: the chat-shaped response
 * header (id, model, service tier), finish reasons by choice index, and
 * `stream_options.include_usage`. Without that option such a stream carries no
 * usage at all, so it is added, and the chunk it adds is taken out of the
 * caller's stream again (see hide()).
 */
export abstract class ChatShapedCall implements SurfaceCall {
  abstract readonly operation: string;
  abstract readonly estimate: CallEstimate;
  abstract readonly attributes: Attributes;
  readonly requestModel: string;
  readonly streaming: boolean;
  readonly hides: boolean;
  readonly chargesStoppedRequests = true;
  protected readonly _header = new ResponseHeader();
  protected readonly _finishReasons = new Map<number, string>();
  /** True once the provider's usage arrived in the stream. */
  protected _providerUsage = false;
  private readonly _injectUsage: boolean;

  constructor(
    protected readonly _params: Params,
    protected readonly _deps: SurfaceDeps,
  ) {
    this.requestModel = String(_params['model']);
    this.streaming = _params['stream'] === true;
    this._injectUsage = this.streaming && asObject(_params['stream_options'])?.['include_usage'] !== true;
    this.hides = this._injectUsage && _deps.options.hideInjectedUsageChunk;
  }

  abstract onBody(call: CallSink, body: unknown): CallEnd;
  abstract onChunk(call: CallSink, chunk: unknown): void;
  abstract onStreamEnd(call: CallSink): CallEnd;
  abstract estimatedUsage(): TokenUsage;

  sendArgs(args: readonly unknown[], model: string, signal: AbortSignal | undefined): unknown[] {
    const params: Params = { ...this._params, model };
    if (this._injectUsage) params['stream_options'] = { ...asObject(this._params['stream_options']), include_usage: true };
    return [params, withSignal(args[1], signal), ...args.slice(2)];
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

  /** A response body as an object, its header read; for anything else our estimate is recorded. */
  protected _readBody(call: CallSink, body: unknown): Record<string, unknown> | undefined {
    const completion = asObject(body);
    if (!completion) {
      call.recordUsage(this.estimatedUsage(), true);
      return undefined;
    }
    this._header.read(completion);
    return completion;
  }

  /** A stream chunk as an object, its header read; undefined for anything else. */
  protected _readChunk(chunk: unknown): Record<string, unknown> | undefined {
    const c = asObject(chunk);
    if (c) this._header.read(c);
    return c;
  }

  /** Records a whole response's usage (the provider's, else our count of its `text`), header and cost. */
  protected _recordBodyUsage(call: CallSink, completion: Record<string, unknown>, text: string): void {
    const usage = chatUsage(completion['usage']);
    if (usage) call.recordUsage(usage, false);
    else call.recordUsage({ inputTokens: this.estimate.inputTokens, outputTokens: this._count(text) }, true);
    call.setAttributes({ ...this._header.attributes(), ...providerCostAttributes(completion['usage']) });
  }

  /** Records the provider's usage (and cost) a stream chunk carries; true when it carried some. */
  protected _recordChunkUsage(call: CallSink, chunk: Record<string, unknown>): boolean {
    const usage = chunk['usage'] === null || chunk['usage'] === undefined ? undefined : chatUsage(chunk['usage']);
    if (!usage) return false;
    this._providerUsage = true;
    call.recordUsage(usage, false);
    call.setAttributes(providerCostAttributes(chunk['usage']));
    return true;
  }

  protected _count(text: string): number {
    return this._deps.counter.count(text, this._header.model ?? this.requestModel);
  }
}
