import type { Attributes } from '@opentelemetry/api';
import type { CallEnd, CallEstimate, CallSink } from '@costtrace/pipeline';
import { ATTR_GEN_AI_RESPONSE_MODEL, GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS, type TokenUsage } from '@costtrace/semconv';
import { estimateEmbeddingsInput } from './estimate-input';
import type { Params, ResourceLike, SurfaceCall, SurfaceDeps } from './internal-types';
import { serverAttributes, withSignal } from './request-attributes';
import { embeddingsUsage } from './wire-usage';

/**
 * `embeddings.create`. openai-node asks for `encoding_format: 'base64'` when
 * the caller sets none (4.91 and later) and decodes it in a `_thenUnwrap`
 * step; the usage is read from the same response either way.
 */
export class EmbeddingsCall implements SurfaceCall {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS;
  readonly requestModel: string;
  readonly streaming = false;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  readonly hides = false;
  readonly chargesStoppedRequests = true;

  constructor(
    private readonly _params: Params,
    resource: ResourceLike | undefined,
    deps: SurfaceDeps,
  ) {
    this.requestModel = String(_params['model']);
    this.estimate = { inputTokens: estimateEmbeddingsInput(_params, this.requestModel, deps.counter), choices: 1, maxOutputTokens: 0 };
    this.attributes = { ...serverAttributes(resource) };
  }

  sendArgs(args: readonly unknown[], model: string, signal: AbortSignal | undefined): unknown[] {
    return [{ ...this._params, model }, withSignal(args[1], signal), ...args.slice(2)];
  }

  onBody(call: CallSink, body: unknown): CallEnd {
    const response = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const usage = embeddingsUsage(response['usage']);
    call.recordUsage(usage ?? this.estimatedUsage(), usage === undefined);
    const model = typeof response['model'] === 'string' && response['model'] !== '' ? response['model'] : undefined;
    if (model === undefined) return {};
    call.setAttributes({ [ATTR_GEN_AI_RESPONSE_MODEL]: model });
    return { responseModel: model };
  }

  onChunk(): void {}

  hide(): boolean {
    return false;
  }

  onStreamEnd(): CallEnd {
    return {};
  }

  estimatedUsage(): TokenUsage {
    return { inputTokens: this.estimate.inputTokens };
  }
}
