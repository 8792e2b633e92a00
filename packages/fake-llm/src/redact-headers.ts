import type { IncomingHttpHeaders } from 'node:http';

/** Headers that carry credentials; their values never reach a record. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
]);

/** The request's headers as a flat record, credentials replaced by `[REDACTED]`. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name) ? '[REDACTED]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
