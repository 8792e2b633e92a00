/** The longest status message written on a span; a provider's 400 can echo the whole prompt. */
export const MAX_ERROR_MESSAGE_LENGTH = 256;

const REDACTED = '[REDACTED]';

// Provider error bodies echo what was sent: OpenAI's 401 names the key it got
// ("Incorrect API key provided: sk-proj-…"), proxies echo headers and query strings.
const SECRETS: ReadonlyArray<[RegExp, string]> = [
  // `api_key=…`, `"x-api-key": "…"`, `token: …`, `password=…`
  [/\b((?:x-)?api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|password|authorization)(["']?\s*[:=]\s*["']?)(?!Bearer\b)[^\s"'&,;)]+/gi, `$1$2${REDACTED}`],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${REDACTED}`],
  // OpenAI (`sk-…`, `sk-proj-…`) and Anthropic (`sk-ant-…`) keys, whole or cut short with `*`s.
  [/\bsk-[A-Za-z0-9_*-]{6,}/g, REDACTED],
  // Long hex or base64 runs: keys, tokens, signatures.
  [/\b[0-9a-fA-F]{32,}\b/g, REDACTED],
  [/[A-Za-z0-9+/_-]{40,}={0,2}/g, REDACTED],
];

/**
 * A provider or SDK error message fit for a span: key-like tokens replaced by
 * `[REDACTED]` and the length capped at {@link MAX_ERROR_MESSAGE_LENGTH}.
 */
export function spanErrorMessage(message: string): string {
  let out = message;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out.length > MAX_ERROR_MESSAGE_LENGTH ? `${out.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…` : out;
}

/** The message of any thrown value, for a span's status: redacted and capped ({@link spanErrorMessage}). */
export function errorMessage(error: unknown): string {
  let message: string;
  if (error instanceof Error) message = error.message;
  else if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    message = (error as { message: string }).message;
  } else message = String(error);
  return spanErrorMessage(message);
}
