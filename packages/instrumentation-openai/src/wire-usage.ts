import type { TokenUsage } from '@costtrace/semconv';
import { asObject, tokenCount } from '@costtrace/pipeline';

/**
 * Chat completions `usage`: `prompt_tokens` is all input, cache reads
 * included. Undefined when the usage is missing or its totals are not
 * plausible token counts (a malformed response must not become a price).
 */
export function chatUsage(value: unknown): TokenUsage | undefined {
  const usage = asObject(value);
  if (!usage) return undefined;
  const inputTokens = tokenCount(usage['prompt_tokens']);
  const outputTokens = tokenCount(usage['completion_tokens']);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  return withParts(
    { inputTokens, outputTokens },
    tokenCount(asObject(usage['prompt_tokens_details'])?.['cached_tokens']),
    tokenCount(asObject(usage['prompt_tokens_details'])?.['cache_write_tokens']),
    tokenCount(asObject(usage['completion_tokens_details'])?.['reasoning_tokens']),
  );
}

/** Responses `usage`: `input_tokens` is all input, its details name the cached part. */
export function responsesUsage(value: unknown): TokenUsage | undefined {
  const usage = asObject(value);
  if (!usage) return undefined;
  const inputTokens = tokenCount(usage['input_tokens']);
  const outputTokens = tokenCount(usage['output_tokens']);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  const input = asObject(usage['input_tokens_details']);
  return withParts(
    { inputTokens, outputTokens },
    tokenCount(input?.['cached_tokens']),
    tokenCount(input?.['cache_write_tokens']),
    tokenCount(asObject(usage['output_tokens_details'])?.['reasoning_tokens']),
  );
}

/** Embeddings `usage`: input only. */
export function embeddingsUsage(value: unknown): TokenUsage | undefined {
  const inputTokens = tokenCount(asObject(value)?.['prompt_tokens']);
  return inputTokens === undefined ? undefined : { inputTokens };
}

// Parts are kept only when they fit inside their total: a cached count above
// the input total cannot be right and would make pricing go negative.
function withParts(
  usage: TokenUsage,
  cacheRead: number | undefined,
  cacheWrite: number | undefined,
  reasoning: number | undefined,
): TokenUsage {
  const input = usage.inputTokens ?? 0;
  if (cacheRead !== undefined && cacheRead <= input) usage.cacheReadTokens = cacheRead;
  // Only a positive write count is news: OpenAI sends 0 on most responses, and an absent field stays absent.
  if (cacheWrite !== undefined && cacheWrite > 0 && cacheWrite + (usage.cacheReadTokens ?? 0) <= input) {
    usage.cacheWriteTokens = cacheWrite;
  }
  if (reasoning !== undefined && reasoning <= (usage.outputTokens ?? 0)) usage.reasoningTokens = reasoning;
  return usage;
}
