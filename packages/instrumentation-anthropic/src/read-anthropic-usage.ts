import type { TokenUsage } from '@costtrace/semconv';
import { isRecord, tokenCount } from '@costtrace/pipeline';

/**
 * Anthropic `usage` to {@link TokenUsage}. Anthropic's `input_tokens` leaves out
 * cache reads and cache writes, so the total input is
 * `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`.
 * Cache writes by lifetime come from `cache_creation.ephemeral_{5m,1h}_input_tokens`;
 * reasoning from `output_tokens_details.thinking_tokens` where the API sends it.
 * A count that pricing would reject (not a non-negative safe integer: negative,
 * fractional, a string, huge) is left out, and so is a part larger than its
 * whole; usage with no count at all is `undefined`. A call whose totals are
 * left out is then charged our estimate, as OpenAI's is (see {@link completeUsage}).
 * With server-side compaction the bill is the sum of `usage.iterations` (see {@link billedUsage}).
 */
export function readAnthropicUsage(wire: unknown): TokenUsage | undefined {
  if (!isRecord(wire)) return undefined;
  const raw = billedUsage(wire);
  const input = tokenCount(raw['input_tokens']);
  const output = tokenCount(raw['output_tokens']);
  const cacheRead = tokenCount(raw['cache_read_input_tokens']);
  let cacheWrite = tokenCount(raw['cache_creation_input_tokens']);
  const creation = isRecord(raw['cache_creation']) ? raw['cache_creation'] : undefined;
  let write5m = tokenCount(creation?.['ephemeral_5m_input_tokens']);
  let write1h = tokenCount(creation?.['ephemeral_1h_input_tokens']);
  const details = isRecord(raw['output_tokens_details']) ? raw['output_tokens_details'] : undefined;
  const reasoning = tokenCount(details?.['thinking_tokens']);
  if (cacheWrite === undefined && (write5m !== undefined || write1h !== undefined)) {
    cacheWrite = tokenCount((write5m ?? 0) + (write1h ?? 0));
  }
  if ((write5m ?? 0) + (write1h ?? 0) > (cacheWrite ?? 0)) {
    write5m = undefined;
    write1h = undefined;
  }
  const usage: TokenUsage = {};
  const totalInput = input === undefined ? undefined : tokenCount(input + (cacheRead ?? 0) + (cacheWrite ?? 0));
  if (totalInput !== undefined) usage.inputTokens = totalInput;
  if (output !== undefined) usage.outputTokens = output;
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  if (write5m !== undefined) usage.cacheWrite5mTokens = write5m;
  if (write1h !== undefined) usage.cacheWrite1hTokens = write1h;
  if (reasoning !== undefined && (output === undefined || reasoning <= output)) usage.reasoningTokens = reasoning;
  return Object.keys(usage).length === 0 ? undefined : usage;
}

/** The token counts of a usage block, summed over `iterations` when it has them. */
const TOKEN_KEYS = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const;
const CACHE_CREATION_KEYS = ['ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens'] as const;

/**
 * The usage that is billed. With server-side context compaction (`context_management` edits of
 * type `compact_*`), the message's top-level usage is only its last iteration (the answer); the
 * compaction pass before it read the whole conversation and is billed too. Anthropic bills the
 * sum of `usage.iterations` (as recorded from the API in vercel/ai's `anthropic-compaction`
 * fixture): its counts replace the top-level ones where the iterations carry them; everything
 * else (service tier, thinking tokens) stays.
 */
function billedUsage(raw: Record<string, unknown>): Record<string, unknown> {
  const iterations = raw['iterations'];
  if (!Array.isArray(iterations) || iterations.length === 0 || !iterations.every(isRecord)) return raw;
  const billed: Record<string, unknown> = { ...raw };
  for (const key of TOKEN_KEYS) billed[key] = sumOf(iterations.map((it) => it[key]), raw[key]);
  const creations = iterations.map((it) => (isRecord(it['cache_creation']) ? it['cache_creation'] : {}));
  const top = isRecord(raw['cache_creation']) ? raw['cache_creation'] : {};
  const creation: Record<string, unknown> = {};
  for (const key of CACHE_CREATION_KEYS) creation[key] = sumOf(creations.map((c) => c[key]), top[key]);
  billed['cache_creation'] = creation;
  return billed;
}

/** The sum of the counts given (`fallback` when none is); undefined when one is not a count, so it is left out. */
function sumOf(values: unknown[], fallback: unknown): unknown {
  let total: number | undefined;
  for (const value of values) {
    if (value === undefined || value === null) continue;
    const n = tokenCount(value);
    if (n === undefined) return undefined;
    total = (total ?? 0) + n;
  }
  return total === undefined ? fallback : tokenCount(total);
}

/**
 * Usage fit to charge and price: the provider's totals where it sent valid
 * ones, else our estimates, and only the parts that fit inside those totals
 * (a cached count above an estimated input would make pricing reject it all).
 */
export function completeUsage(partial: TokenUsage | undefined, inputEstimate: number, outputEstimate: number): TokenUsage {
  const usage: TokenUsage = {
    inputTokens: partial?.inputTokens ?? inputEstimate,
    outputTokens: partial?.outputTokens ?? outputEstimate,
  };
  const input = usage.inputTokens!;
  const cacheRead = partial?.cacheReadTokens;
  const cacheWrite = partial?.cacheWriteTokens;
  if (cacheRead !== undefined && cacheRead <= input) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined && cacheWrite + (usage.cacheReadTokens ?? 0) <= input) {
    usage.cacheWriteTokens = cacheWrite;
    if (partial?.cacheWrite5mTokens !== undefined) usage.cacheWrite5mTokens = partial.cacheWrite5mTokens;
    if (partial?.cacheWrite1hTokens !== undefined) usage.cacheWrite1hTokens = partial.cacheWrite1hTokens;
  }
  const reasoning = partial?.reasoningTokens;
  if (reasoning !== undefined && reasoning <= usage.outputTokens!) usage.reasoningTokens = reasoning;
  return usage;
}

/** `usage.service_tier` (`standard`, `priority`, `batch`), when the response has one. */
export function readServiceTier(raw: unknown): string | undefined {
  if (!isRecord(raw)) return undefined;
  const tier = raw['service_tier'];
  return typeof tier === 'string' && tier !== '' ? tier : undefined;
}
