type Json = Record<string, unknown>;
type HeadersArg = ConstructorParameters<typeof Headers>[0] & {};

/** `fetch`'s first argument. */
export type FetchInput = string | URL | Request;

/** The request as the caller gave it, read without consuming it. */
export interface CallerRequest {
  readonly url: string;
  /** The JSON body, when the request has one that can be read without taking it from the sender. */
  readonly params: Json | undefined;
  /** The caller's signal (`init.signal`, else the Request's). */
  readonly signal: AbortSignal | undefined;
}

/** The URL of `fetch`'s input, and its method: no parsing, as this runs for every request. */
export function urlOf(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  if (isRequest(input)) return input.url;
  return undefined;
}

export function methodOf(input: unknown, init: RequestInit | undefined): string {
  const method = init?.method ?? (isRequest(input) ? input.method : 'GET');
  return typeof method === 'string' ? method.toUpperCase() : 'GET';
}

/**
 * Reads the request's JSON body: a string or bytes as given, a Blob's text, a Request's
 * body from a clone. A stream body (or form data) is not read: reading it would take it
 * from the request, so such a call is left alone.
 */
export function readCallerRequest(url: string, input: FetchInput, init: RequestInit | undefined): CallerRequest | Promise<CallerRequest> {
  const signal = init?.signal ?? (isRequest(input) ? input.signal : undefined) ?? undefined;
  const body = init !== undefined && 'body' in init ? init.body : undefined;
  // A string (what the SDKs send) or bytes is read at once: no promise for the common case.
  if (typeof body === 'string') return { url, params: parseObject(body), signal };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return { url, params: parseObject(new TextDecoder().decode(body as Uint8Array)), signal };
  let text: Promise<string> | undefined;
  if (typeof Blob !== 'undefined' && body instanceof Blob) text = body.text();
  else if (body === undefined && isRequest(input) && input.body !== null) text = input.clone().text();
  return text === undefined ? { url, params: undefined, signal } : text.then((t) => ({ url, params: parseObject(t), signal }));
}

/**
 * The arguments to send: the caller's, with the JSON body (when it changed), the URL
 * (when it changed) and the call's signal (when there is one) put in.
 */
export function sendArgs(
  input: FetchInput,
  init: RequestInit | undefined,
  change: { body?: string; url?: string; signal?: AbortSignal },
): [FetchInput, RequestInit | undefined] {
  if (change.body === undefined && change.url === undefined && change.signal === undefined) return [input, init];
  // A Request with an init, sent to another URL (a Gemini downgrade): one Request merging both, as fetch would.
  if (isRequest(input) && init !== undefined && change.url !== undefined) return sendArgs(new Request(input, init), undefined, change);
  if (isRequest(input) && init === undefined) {
    if (change.body === undefined && change.url === undefined) return [new Request(input, { signal: change.signal ?? null }), undefined];
    // A new body or URL: a new Request with the caller's settings (its body was read from a clone).
    return [
      new Request(change.url ?? input.url, {
        method: input.method,
        headers: withoutLength(input.headers, change.body !== undefined),
        body: change.body ?? (input.body === null ? null : input.clone().body),
        signal: change.signal ?? input.signal,
        redirect: input.redirect,
        credentials: input.credentials,
        cache: input.cache,
        integrity: input.integrity,
        keepalive: input.keepalive,
        referrer: input.referrer,
        referrerPolicy: input.referrerPolicy,
        ...(change.body === undefined && input.body !== null ? { duplex: 'half' } : {}),
      } as RequestInit),
      undefined,
    ];
  }
  const next: RequestInit = { ...init };
  if (change.signal !== undefined) next.signal = change.signal;
  if (change.body !== undefined) {
    next.body = change.body;
    if (init?.headers !== undefined) next.headers = withoutLength(init.headers, true);
  }
  return [change.url ?? input, next];
}

/** The headers without a `content-length` that no longer matches a rewritten body. */
function withoutLength(headers: HeadersArg, drop: boolean): HeadersArg {
  if (!drop) return headers;
  const copy = new Headers(headers);
  copy.delete('content-length');
  return copy;
}

function parseObject(text: string | undefined): Json | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

export function isRequest(value: unknown): value is Request {
  return typeof Request !== 'undefined' && value instanceof Request;
}
