// Token-usage attribute names that other producers write, which `readUsage` reads.
// They are not ours and not (or no longer) in the GenAI conventions, so they are not
// `ATTR_*` names: costtrace reads them and never writes them. The Vercel AI SDK's
// names are camelCase, as it writes them.

/** OpenLLMetry (Traceloop): cache reads, before the dotted GenAI name existed. */
export const OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read_input_tokens' as const;
/** OpenLLMetry (Traceloop): cache writes, before the dotted GenAI name existed. */
export const OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation_input_tokens' as const;
/** OpenLLMetry (Traceloop): reasoning tokens, part of the completion tokens. */
export const OPENLLMETRY_USAGE_REASONING_TOKENS = 'gen_ai.usage.reasoning_tokens' as const;
/** OpenLLMetry (Traceloop): input plus output. */
export const OPENLLMETRY_USAGE_TOTAL_TOKENS = 'gen_ai.usage.total_tokens' as const;
/** OpenLLMetry (Traceloop), older: input plus output. */
export const OPENLLMETRY_LLM_USAGE_TOTAL_TOKENS = 'llm.usage.total_tokens' as const;

/** OpenInference (Arize Phoenix): prompt tokens. */
export const OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT = 'llm.token_count.prompt' as const;
/** OpenInference: completion tokens. */
export const OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION = 'llm.token_count.completion' as const;
/** OpenInference: prompt plus completion. */
export const OPENINFERENCE_LLM_TOKEN_COUNT_TOTAL = 'llm.token_count.total' as const;
/** OpenInference: prompt tokens read from the cache. */
export const OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ = 'llm.token_count.prompt_details.cache_read' as const;
/** OpenInference: prompt tokens written to the cache. */
export const OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE = 'llm.token_count.prompt_details.cache_write' as const;
/** OpenInference: prompt tokens that were audio. */
export const OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_AUDIO = 'llm.token_count.prompt_details.audio' as const;
/** OpenInference: completion tokens spent on reasoning. */
export const OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING =
  'llm.token_count.completion_details.reasoning' as const;
/** OpenInference: completion tokens that were audio. */
export const OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION_DETAILS_AUDIO = 'llm.token_count.completion_details.audio' as const;

/** Vercel AI SDK 4: prompt tokens. */
export const VERCEL_AI_USAGE_PROMPT_TOKENS = 'ai.usage.promptTokens' as const;
/** Vercel AI SDK 4: completion tokens. */
export const VERCEL_AI_USAGE_COMPLETION_TOKENS = 'ai.usage.completionTokens' as const;
/** Vercel AI SDK 5+: input tokens (cache-inclusive from 6 on; see the README). */
export const VERCEL_AI_USAGE_INPUT_TOKENS = 'ai.usage.inputTokens' as const;
/** Vercel AI SDK 5+: output tokens. */
export const VERCEL_AI_USAGE_OUTPUT_TOKENS = 'ai.usage.outputTokens' as const;
/** Vercel AI SDK 5+: input plus output. */
export const VERCEL_AI_USAGE_TOTAL_TOKENS = 'ai.usage.totalTokens' as const;
/** Vercel AI SDK 5+: cache reads. */
export const VERCEL_AI_USAGE_CACHED_INPUT_TOKENS = 'ai.usage.cachedInputTokens' as const;
/** Vercel AI SDK 5+: reasoning tokens. */
export const VERCEL_AI_USAGE_REASONING_TOKENS = 'ai.usage.reasoningTokens' as const;
/** Vercel AI SDK `embed`/`embedMany`: the embedded tokens. */
export const VERCEL_AI_USAGE_TOKENS = 'ai.usage.tokens' as const;
/** Vercel AI SDK 6: input tokens neither read from nor written to the cache. */
export const VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_NO_CACHE_TOKENS = 'ai.usage.inputTokenDetails.noCacheTokens' as const;
/** Vercel AI SDK 6: cache reads. */
export const VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_READ_TOKENS = 'ai.usage.inputTokenDetails.cacheReadTokens' as const;
/** Vercel AI SDK 6: cache writes. */
export const VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_WRITE_TOKENS = 'ai.usage.inputTokenDetails.cacheWriteTokens' as const;
/** Vercel AI SDK 6: reasoning tokens. */
export const VERCEL_AI_USAGE_OUTPUT_TOKEN_DETAILS_REASONING_TOKENS =
  'ai.usage.outputTokenDetails.reasoningTokens' as const;
