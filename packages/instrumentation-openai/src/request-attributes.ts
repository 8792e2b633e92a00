import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_OPENAI_REQUEST_SERVICE_TIER,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@costtrace/semconv';
import type { Params, ResourceLike } from './internal-types';

// Parsed once per client and base URL: `new URL()` on every call cost more than the rest of the
// request attributes together. Keyed weakly by the client, so a dropped client drops its entry.
const SERVER_ATTRIBUTES = new WeakMap<object, { baseURL: string; attrs: Attributes }>();

/** `server.address` and `server.port` from the client's `baseURL`; never its credentials or path. */
export function serverAttributes(resource: ResourceLike | undefined): Attributes {
  const client = resource?._client;
  const baseURL = client?.baseURL;
  if (typeof baseURL !== 'string') return {};
  const cached = SERVER_ATTRIBUTES.get(client!);
  if (cached?.baseURL === baseURL) return cached.attrs;
  const attrs = parseServer(baseURL);
  SERVER_ATTRIBUTES.set(client!, { baseURL, attrs });
  return attrs;
}

function parseServer(baseURL: string): Attributes {
  try {
    const url = new URL(baseURL);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
    return { [ATTR_SERVER_ADDRESS]: url.hostname, ...(port === undefined ? {} : { [ATTR_SERVER_PORT]: port }) };
  } catch {
    return {};
  }
}

/** The common request parameters, written only when the request sets them. */
export function requestAttributes(params: Params, maxTokens: number | undefined, choices: number): Attributes {
  const attrs: Attributes = {};
  if (maxTokens !== undefined) attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  const temperature = params['temperature'];
  if (typeof temperature === 'number' && Number.isFinite(temperature)) attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = temperature;
  if (choices !== 1) attrs[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = choices;
  const tier = params['service_tier'];
  if (typeof tier === 'string' && tier !== '') attrs[ATTR_OPENAI_REQUEST_SERVICE_TIER] = tier;
  return attrs;
}

/** A non-negative integer request parameter (`max_tokens`, `n`), else undefined. */
export function intParam(params: Params, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = params[key];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  }
  return undefined;
}

/** The request's `service_tier` when it names one, for the gate's estimate. */
export function serviceTier(params: Params): string | undefined {
  const tier = params['service_tier'];
  return typeof tier === 'string' && tier !== '' ? tier : undefined;
}

/** The caller's `options` argument with the call's signal in place of their own (as is without one). */
export function withSignal(options: unknown, signal: AbortSignal | undefined): unknown {
  if (signal === undefined) return options;
  const base = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  return { ...base, signal };
}
