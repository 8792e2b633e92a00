import { knownProvider } from './known-hosts';
import type { ResolvedOptions } from './options';
import { defaultProvider, surfaceIn, surfaceOfPath, type WireSurface } from './wire-protocol';

/** A request recognised as a model call. */
export interface ModelRequest {
  readonly surface: WireSurface;
  readonly provider: string;
  /** `scheme://host:port` of the request. */
  readonly origin: string;
  /** Gemini: the model named in the path. */
  readonly pathModel?: string;
  /** Gemini: `streamGenerateContent`. */
  readonly pathStreaming?: boolean;
}

/**
 * Whether a POST to `url` is a model call, and which: by the path's tail on a known
 * provider host or under a configured base URL. String operations only: it runs for
 * every request the app makes, most of them not model calls.
 */
export function matchRequest(url: string, options: ResolvedOptions): ModelRequest | undefined {
  const scheme = url.indexOf('://');
  if (scheme < 0) return undefined;
  const hostStart = scheme + 3;
  const query = url.indexOf('?', hostStart);
  const end = query < 0 ? url.length : query;
  const pathStart = url.indexOf('/', hostStart);
  if (pathStart < 0 || pathStart > end) return undefined;
  const match = surfaceOfPath(url.slice(pathStart, end));
  if (match === undefined && !options.anySurfaceUrl) return undefined;
  const origin = url.slice(0, pathStart);
  for (const base of options.baseUrls) {
    if (!url.startsWith(base.prefix)) continue;
    const next = url.charCodeAt(base.prefix.length);
    // `/`, `?` or the end: `http://host:4000` must not take `http://host:40001`.
    if (!(Number.isNaN(next) || next === 47 || next === 63)) continue;
    let surface: WireSurface | undefined;
    if (match !== undefined && (base.family === undefined || surfaceIn(match.surface, base.family))) surface = match.surface;
    else if (match === undefined) surface = base.surface;
    if (surface === undefined) return undefined;
    return {
      surface,
      provider: base.provider ?? defaultProvider(surface),
      origin,
      ...(match?.model === undefined ? {} : { pathModel: match.model, pathStreaming: match.streaming === true }),
    };
  }
  if (match === undefined) return undefined;
  const provider = knownProvider(hostOf(url.slice(hostStart, pathStart)));
  if (provider === undefined) return undefined;
  return {
    surface: match.surface,
    provider,
    origin,
    ...(match.model === undefined ? {} : { pathModel: match.model, pathStreaming: match.streaming === true }),
  };
}

/** The lower-case hostname of an authority (`user@host:port`, `[::1]:8080`). */
function hostOf(authority: string): string {
  const at = authority.lastIndexOf('@');
  let host = at < 0 ? authority : authority.slice(at + 1);
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  const colon = host.indexOf(':');
  if (colon >= 0) host = host.slice(0, colon);
  return host.toLowerCase();
}
