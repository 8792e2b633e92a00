/** Where progress lines go (stderr in the bin). */
export type Progress = (line: string) => void;

export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    body: string,
  ) {
    super(`GET ${url}: HTTP ${status}${body === '' ? '' : `: ${body.slice(0, 200)}`}`);
    this.name = 'HttpError';
  }
}

/** How long one request may take before the report fails. */
const REQUEST_TIMEOUT_MS = 120_000;

/** GETs a JSON document; `headers` add to `Accept: application/json`. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  if (!res.ok) throw new HttpError(url, res.status, text);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`GET ${url}: the response is not JSON`);
  }
}

/** Runs `work` over `items` with at most `limit` at once, reporting every tenth item and the last. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, progress: Progress | undefined, label: string): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.ceil(items.length / 10));
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
      done += 1;
      if (progress !== undefined && (done % step === 0 || done === items.length)) progress(`${label}: ${done}/${items.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A base URL without its trailing slash. */
export const trimBase = (base: string) => base.replace(/\/+$/, '');
