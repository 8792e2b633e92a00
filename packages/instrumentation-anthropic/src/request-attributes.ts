import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ANTHROPIC_REQUEST_SERVICE_TIER,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
} from '@costtrace/semconv';
import { serverAttributesOf } from '@costtrace/pipeline';

/**
 * Span attributes known before the request is sent: the server, and the
 * request parameters the caller set. Nothing from headers, no API key.
 */
export function requestAttributes(params: Record<string, unknown>, baseURL: unknown, streaming: boolean): Attributes {
  const attrs: Attributes = { ...serverAttributes(baseURL) };
  const maxTokens = params['max_tokens'];
  if (typeof maxTokens === 'number' && Number.isFinite(maxTokens)) attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  const temperature = params['temperature'];
  if (typeof temperature === 'number' && Number.isFinite(temperature)) attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = temperature;
  const tier = params['service_tier'];
  if (typeof tier === 'string' && tier !== '') attrs[ATTR_ANTHROPIC_REQUEST_SERVICE_TIER] = tier;
  if (streaming) attrs[ATTR_GEN_AI_REQUEST_STREAM] = true;
  return attrs;
}

// Parsed once per base URL (`new URL()` on every call cost more than the rest of the request
// attributes together); bounded, as an app may build clients for many URLs. Entries are never
// handed out: requestAttributes copies them.
const SERVER_ATTRIBUTES = new Map<string, Attributes>();
const MAX_SERVER_ENTRIES = 32;

function serverAttributes(baseURL: unknown): Attributes {
  if (typeof baseURL !== 'string') return {};
  let attrs = SERVER_ATTRIBUTES.get(baseURL);
  if (attrs === undefined) {
    if (SERVER_ATTRIBUTES.size >= MAX_SERVER_ENTRIES) SERVER_ATTRIBUTES.clear();
    attrs = serverAttributesOf(baseURL);
    SERVER_ATTRIBUTES.set(baseURL, attrs);
  }
  return attrs;
}
