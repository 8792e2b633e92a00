import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_REQUEST_MAX_TOKENS, ATTR_GEN_AI_REQUEST_STREAM, ATTR_GEN_AI_REQUEST_TEMPERATURE } from '@costtrace/semconv';

/** Span attributes known before the request is sent: the parameters the caller set. Nothing from headers. */
export function requestAttributes(maxTokens: unknown, temperature: unknown, streaming: boolean): Attributes {
  const attrs: Attributes = {};
  if (typeof maxTokens === 'number' && Number.isFinite(maxTokens)) attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  if (typeof temperature === 'number' && Number.isFinite(temperature)) attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = temperature;
  if (streaming) attrs[ATTR_GEN_AI_REQUEST_STREAM] = true;
  return attrs;
}
