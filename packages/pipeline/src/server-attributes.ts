import type { Attributes } from '@opentelemetry/api';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@costtrace/semconv';

/**
 * `server.address` (an IPv6 address without its brackets) and `server.port`
 * (the scheme's default when none is given: 80 for `http:`, else 443).
 */
export function serverAttributes(hostname: string, port: number | undefined, protocol: string): Attributes {
  return { [ATTR_SERVER_ADDRESS]: hostname.replace(/^\[(.*)\]$/, '$1'), [ATTR_SERVER_PORT]: port ?? (protocol === 'http:' ? 80 : 443) };
}

/** {@link serverAttributes} of a base URL; never its credentials or path. Empty when it is not a URL. */
export function serverAttributesOf(baseURL: string): Attributes {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return {};
  }
  return serverAttributes(url.hostname, url.port ? Number(url.port) : undefined, url.protocol);
}
