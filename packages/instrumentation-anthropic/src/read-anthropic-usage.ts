import type { TokenUsage } from '@costtrace/semconv';

/**
 * Anthropic `usage` to {@link TokenUsage}. Anthropic's `input_tokens` leaves out
 * cache reads and cache writes, so the total input is
 * `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`.
 * Cache writes by lifetime come from `cache_creation.ephemeral_{5m,1h}_input_tokens`;
 * reasoning from `output_tokens_details.thinking_tokens` where the API sends it.
 * A count that is not a finite non-negative number is left out; usage with no
 * count at all is `undefined`.
 */
export function readAnthropicUsage(raw: unknown): TokenUsage | undefined {
  if (!isRecord(raw)) return undefined;
  const input = count(raw['input_tokens']);
  const output = count(raw['output_tokens']);
  const cacheRead = count(raw['cache_read_input_tokens']);
  let cacheWrite = count(raw['cache_creation_input_tokens']);
  const creation = isRecord(raw['cache_creation']) ? raw['cache_creation'] : undefined;
  const write5m = count(creation?.['ephemeral_5m_input_tokens']);
  const write1h = count(creation?.['ephemeral_1h_input_tokens']);
  const details = isRecord(raw['output_tokens_details']) ? raw['output_tokens_details'] : undefined;
  const reasoning = count(details?.['thinking_tokens']);
  if (cacheWrite === undefined && (write5m !== undefined || write1h !== undefined)) {
    cacheWrite = (write5m ?? 0) + (write1h ?? 0);
  }
  const usage: TokenUsage = {};
  if (input !== undefined) usage.inputTokens = input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  if (output !== undefined) usage.outputTokens = output;
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  if (write5m !== undefined) usage.cacheWrite5mTokens = write5m;
  if (write1h !== undefined) usage.cacheWrite1hTokens = write1h;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return Object.keys(usage).length === 0 ? undefined : usage;
}

/** `usage.service_tier` (`standard`, `priority`, `batch`), when the response has one. */
export function readServiceTier(raw: unknown): string | undefined {
  if (!isRecord(raw)) return undefined;
  const tier = raw['service_tier'];
  return typeof tier === 'string' && tier !== '' ? tier : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
