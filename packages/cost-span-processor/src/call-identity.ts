import {
  ATTR_ANTHROPIC_REQUEST_SERVICE_TIER,
  ATTR_ANTHROPIC_RESPONSE_SERVICE_TIER,
  ATTR_GEN_AI_OPENAI_REQUEST_SERVICE_TIER,
  ATTR_GEN_AI_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_OPENAI_REQUEST_SERVICE_TIER,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  type AttributesLike,
} from '@costtrace/semconv';
import {
  OPENINFERENCE_LLM_MODEL_NAME,
  OPENINFERENCE_LLM_PROVIDER,
  OPENINFERENCE_LLM_REQUEST_MODEL_NAME,
  OPENINFERENCE_LLM_RESPONSE_MODEL_NAME,
  OPENINFERENCE_LLM_SYSTEM,
  VERCEL_AI_MODEL_ID,
  VERCEL_AI_MODEL_PROVIDER,
  VERCEL_AI_RESPONSE_MODEL,
} from '@costtrace/semconv';

/** Who served a call and which model, as its span tells it in whatever dialect. */
export interface CallIdentity {
  /** `gen_ai.provider.name`, else legacy `gen_ai.system`, else the dialect's own. */
  provider: string | undefined;
  /** The model that answered (what was billed): `gen_ai.response.model`, else the dialect's. */
  responseModel: string | undefined;
  /** The model sent: `gen_ai.request.model`, else the dialect's. */
  requestModel: string | undefined;
  /** The service tier the response reports, else the one requested. */
  serviceTier: string | undefined;
}

export function readCallIdentity(a: AttributesLike): CallIdentity {
  return {
    provider:
      str(a[ATTR_GEN_AI_PROVIDER_NAME]) ??
      str(a[ATTR_GEN_AI_SYSTEM]) ??
      str(a[OPENINFERENCE_LLM_PROVIDER]) ??
      str(a[OPENINFERENCE_LLM_SYSTEM]) ??
      str(a[VERCEL_AI_MODEL_PROVIDER]),
    // OpenInference's `llm.model_name` is "the model used": the answering one when both are known.
    responseModel:
      str(a[ATTR_GEN_AI_RESPONSE_MODEL]) ??
      str(a[OPENINFERENCE_LLM_RESPONSE_MODEL_NAME]) ??
      str(a[VERCEL_AI_RESPONSE_MODEL]) ??
      str(a[OPENINFERENCE_LLM_MODEL_NAME]),
    requestModel:
      str(a[ATTR_GEN_AI_REQUEST_MODEL]) ?? str(a[OPENINFERENCE_LLM_REQUEST_MODEL_NAME]) ?? str(a[VERCEL_AI_MODEL_ID]),
    serviceTier:
      str(a[ATTR_OPENAI_RESPONSE_SERVICE_TIER]) ??
      str(a[ATTR_ANTHROPIC_RESPONSE_SERVICE_TIER]) ??
      str(a[ATTR_GEN_AI_OPENAI_RESPONSE_SERVICE_TIER]) ??
      str(a[ATTR_OPENAI_REQUEST_SERVICE_TIER]) ??
      str(a[ATTR_ANTHROPIC_REQUEST_SERVICE_TIER]) ??
      str(a[ATTR_GEN_AI_OPENAI_REQUEST_SERVICE_TIER]),
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
