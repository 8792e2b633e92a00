import type { Attributes } from '@opentelemetry/api';
import type { CallEnd } from '@costtrace/pipeline';
import { ATTR_GEN_AI_RESPONSE_ID, ATTR_GEN_AI_RESPONSE_MODEL, ATTR_OPENAI_RESPONSE_SERVICE_TIER } from '@costtrace/semconv';

/** The id, model and service tier a chat-shaped response or stream chunk carries, the last one read winning. */
export class ResponseHeader {
  private _id: string | undefined;
  private _model: string | undefined;
  private _tier: string | undefined;

  /** The response's model, once read. */
  get model(): string | undefined {
    return this._model;
  }

  read(body: Record<string, unknown>): void {
    if (typeof body['id'] === 'string' && body['id'] !== '') this._id = body['id'];
    if (typeof body['model'] === 'string' && body['model'] !== '') this._model = body['model'];
    if (typeof body['service_tier'] === 'string' && body['service_tier'] !== '') this._tier = body['service_tier'];
  }

  attributes(): Attributes {
    const attrs: Attributes = {};
    if (this._id !== undefined) attrs[ATTR_GEN_AI_RESPONSE_ID] = this._id;
    if (this._model !== undefined) attrs[ATTR_GEN_AI_RESPONSE_MODEL] = this._model;
    if (this._tier !== undefined) attrs[ATTR_OPENAI_RESPONSE_SERVICE_TIER] = this._tier;
    return attrs;
  }

  /** The call's end: its finish reasons and, once read, the response model. */
  end(finishReasons: string[]): CallEnd {
    return { finishReasons, ...(this._model === undefined ? {} : { responseModel: this._model }) };
  }
}

/** Finish reasons kept by choice index, in index order. */
export function byIndex(finishReasons: Map<number, string>): string[] {
  return [...finishReasons.entries()].sort((a, b) => a[0] - b[0]).map(([, reason]) => reason);
}
