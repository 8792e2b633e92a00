// Anthropic's own attribute names, as `@anthropic-ai/sdk` 1.12 writes them on its
// `anthropic.messages.create` spans (src/internal/tracing.ts, SPAN_ATTRIBUTES).
// Whether the GenAI conventions' Anthropic page lists them is unverified.

/**
 * Part of the cache writes written with a 5-minute lifetime
 * (`usage.cache_creation.ephemeral_5m_input_tokens`). Priced at the 5-minute write rate.
 */
export const ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS =
  'anthropic.usage.cache_creation.ephemeral_5m_input_tokens' as const;

/**
 * Part of the cache writes written with a 1-hour lifetime
 * (`usage.cache_creation.ephemeral_1h_input_tokens`). Priced at the 1-hour write rate.
 */
export const ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS =
  'anthropic.usage.cache_creation.ephemeral_1h_input_tokens' as const;

/** The service tier asked for (`auto`, `standard_only`). */
export const ATTR_ANTHROPIC_REQUEST_SERVICE_TIER = 'anthropic.request.service_tier' as const;

/** The tier that served the call (`usage.service_tier`: `standard`, `priority`, `batch`). */
export const ATTR_ANTHROPIC_RESPONSE_SERVICE_TIER = 'anthropic.response.service_tier' as const;

/**
 * Input tokens of server-side compaction iterations. Not part of
 * `gen_ai.usage.input_tokens`: the API leaves compaction out of the top-level usage.
 */
export const ATTR_ANTHROPIC_USAGE_COMPACTION_INPUT_TOKENS = 'anthropic.usage.compaction.input_tokens' as const;

/** Output tokens of server-side compaction iterations. Not part of `gen_ai.usage.output_tokens`. */
export const ATTR_ANTHROPIC_USAGE_COMPACTION_OUTPUT_TOKENS = 'anthropic.usage.compaction.output_tokens' as const;
