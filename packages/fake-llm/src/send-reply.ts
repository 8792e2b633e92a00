import type { Exchange } from './internal-types';
import type { FakeProvider } from './types';
import { errorBody } from './error-bodies';

/**
 * Headers every response of a provider carries. The request id goes where each
 * SDK reads it: `x-request-id` (openai `APIError.requestID`, `_request_id`) and
 * `request-id` (Anthropic `APIError.requestID`).
 */
export function providerHeaders(provider: FakeProvider, exchange: Exchange): Record<string, string> {
  const base: Record<string, string> =
    provider === 'anthropic'
      ? { 'request-id': exchange.record.id, 'anthropic-organization-id': 'fake-org' }
      : provider === 'google'
        ? // Google sends no request id header; server-timing and vary are what its responses carry.
          { 'server-timing': 'gfet4t7; dur=1', vary: 'Origin, X-Origin, Referer' }
        : { 'x-request-id': exchange.record.id, 'openai-processing-ms': '1', 'openai-version': '2020-10-01' };
  return { ...base, ...exchange.reply.headers };
}

/** Sends a JSON body and ends the response. */
export function sendJson(exchange: Exchange, provider: FakeProvider, status: number, body: unknown): void {
  exchange.channel.send(
    status,
    { 'content-type': 'application/json', ...providerHeaders(provider, exchange) },
    JSON.stringify(body),
  );
}

/** Sends the reply's HTTP error in the provider's format. */
export function sendError(exchange: Exchange, provider: FakeProvider): void {
  const { reply, record } = exchange;
  sendJson(exchange, provider, reply.status, errorBody(provider, reply.status, reply.error, record.id));
}
