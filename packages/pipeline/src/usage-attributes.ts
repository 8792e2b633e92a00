import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS,
  ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  type TokenUsage,
} from '@costtrace/semconv';

/**
 * The span attributes for a call's usage, in the current GenAI names. Only
 * fields the provider reported are written: an absent cache count stays absent
 * rather than becoming a misleading 0.
 */
export function usageAttributes(usage: TokenUsage): Attributes {
  const attrs: Attributes = {};
  if (usage.inputTokens !== undefined) attrs[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.inputTokens;
  if (usage.outputTokens !== undefined) attrs[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.outputTokens;
  if (usage.cacheReadTokens !== undefined) attrs[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined) attrs[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] = usage.cacheWriteTokens;
  if (usage.cacheWrite5mTokens !== undefined) {
    attrs[ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS] = usage.cacheWrite5mTokens;
  }
  if (usage.cacheWrite1hTokens !== undefined) {
    attrs[ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS] = usage.cacheWrite1hTokens;
  }
  if (usage.reasoningTokens !== undefined) attrs[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = usage.reasoningTokens;
  return attrs;
}
