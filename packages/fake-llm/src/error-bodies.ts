import type { FakeProvider, ReplyError, StreamError } from './types';

const OPENAI_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Google's canonical `status` names for HTTP statuses (google.rpc.Code). */
const GOOGLE_STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The provider's usual error `type` (Google: `status`) for an HTTP status. */
export function defaultErrorType(provider: FakeProvider, status: number): string {
  if (provider === 'google') return GOOGLE_STATUSES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  if (provider === 'anthropic') return ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return OPENAI_TYPES[status]?.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
}

/**
 * An HTTP error body in the provider's format: OpenAI
 * `{error: {message, type, param, code}}`, Anthropic
 * `{type: 'error', error: {type, message}, request_id}`, Google
 * `{error: {code, message, status}}` (the reply's error `type` is the `status`).
 */
export function errorBody(
  provider: FakeProvider,
  status: number,
  error: ReplyError | undefined,
  requestId: string,
): Record<string, unknown> {
  const message = error?.message ?? `fake-llm: scripted HTTP ${status}`;
  const type = error?.type ?? defaultErrorType(provider, status);
  if (provider === 'anthropic') {
    return { type: 'error', error: { type, message }, request_id: requestId };
  }
  if (provider === 'google') return googleError(status, type, message);
  const code = error?.code !== undefined ? error.code : (OPENAI_TYPES[status]?.code ?? null);
  return { error: { message, type, param: error?.param ?? null, code } };
}

/** The `error` object of a mid-stream error event. */
export function streamErrorObject(provider: FakeProvider, error: StreamError): { type: string; message: string; code: string | null } {
  return {
    type: error.type ?? defaultErrorType(provider, 500),
    message: error.message ?? 'fake-llm: scripted stream error',
    code: error.code ?? null,
  };
}

/** Google's error object: `{error: {code, message, status}}`, also what a failing stream sends as a chunk. */
export function googleError(code: number, status: string, message: string): Record<string, unknown> {
  return { error: { code, message, status } };
}
