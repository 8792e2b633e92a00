import {
  isBoolean,
  parseBoolean,
  resolveOption,
  resolveSharedOptions,
  type ResolvedSharedOptions,
} from '@costtrace/pipeline';
import type { FetchBaseUrl, FetchInstrumentationConfig } from './types';
import { SURFACES, type WireProtocol, type WireSurface } from './wire-protocol';

const COMPONENT = 'FetchInstrumentation';
const PROTOCOLS: readonly string[] = ['openai', 'anthropic', 'gemini', ...SURFACES];

/** A configured base URL, normalised. */
export interface ResolvedBaseUrl {
  /** `origin` + path prefix, no trailing slash: a request URL must start with it, then `/`, `?` or end. */
  readonly prefix: string;
  readonly family: WireProtocol | undefined;
  readonly surface: WireSurface | undefined;
  /** Undefined: by the surface of each call ({@link defaultProvider}). */
  readonly provider: string | undefined;
}

export interface ResolvedOptions extends ResolvedSharedOptions {
  readonly hideInjectedUsageChunk: boolean;
  readonly baseUrls: readonly ResolvedBaseUrl[];
  /** True when some base URL names a surface: a POST there is a model call whatever its path. */
  readonly anySurfaceUrl: boolean;
}

/** Options by the one precedence rule: code, then the env var, then the default. */
export function resolveOptions(
  config: FetchInstrumentationConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedOptions {
  const baseUrls = resolveOption<readonly ResolvedBaseUrl[]>(
    {
      name: 'baseUrls',
      env: 'COSTTRACE_FETCH_BASE_URLS',
      parse: (text) => text.split(',').map((s) => s.trim()).filter((s) => s !== ''),
      valid: (value) => Array.isArray(value) && value.every((entry) => toBaseUrl(entry) !== undefined),
      fallback: [],
      component: COMPONENT,
    },
    config.baseUrls,
    env,
  );
  const resolved = (baseUrls as ReadonlyArray<unknown>).map((entry) => toBaseUrl(entry)!);
  return {
    ...resolveSharedOptions(config, COMPONENT, env),
    hideInjectedUsageChunk: resolveOption(
      {
        name: 'hideInjectedUsageChunk',
        env: 'COSTTRACE_OPENAI_HIDE_INJECTED_USAGE',
        parse: parseBoolean,
        valid: isBoolean,
        fallback: true,
        component: COMPONENT,
      },
      config.hideInjectedUsageChunk,
      env,
    ),
    baseUrls: resolved,
    anySurfaceUrl: resolved.some((b) => b.surface !== undefined),
  };
}

/** A base URL entry (`url`, `url=protocol`, or an object) normalised, or undefined when it is not usable. */
function toBaseUrl(entry: unknown): ResolvedBaseUrl | undefined {
  let spec: FetchBaseUrl;
  if (typeof entry === 'string') {
    const eq = entry.lastIndexOf('=');
    const protocol = eq > 0 ? entry.slice(eq + 1).trim() : undefined;
    // `=` may sit in a URL's query; only a known protocol after it is one.
    spec = protocol !== undefined && PROTOCOLS.includes(protocol)
      ? { url: entry.slice(0, eq).trim(), protocol: protocol as WireProtocol | WireSurface }
      : { url: entry.trim() };
  } else if (typeof entry === 'object' && entry !== null && typeof (entry as FetchBaseUrl).url === 'string') {
    spec = entry as FetchBaseUrl;
  } else return undefined;
  if (spec.protocol !== undefined && !PROTOCOLS.includes(spec.protocol)) return undefined;
  if (spec.provider !== undefined && (typeof spec.provider !== 'string' || spec.provider === '')) return undefined;
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  const protocol = spec.protocol;
  const surface = protocol !== undefined && protocol.includes('.') ? (protocol as WireSurface) : undefined;
  const family = (protocol === undefined ? undefined : protocol.split('.')[0]) as WireProtocol | undefined;
  return { prefix: url.origin + path, family, surface, provider: spec.provider };
}
