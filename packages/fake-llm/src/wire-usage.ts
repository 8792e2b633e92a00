import type { ResolvedReply, ResolvedUsage } from './internal-types';

/** OpenAI chat completions `usage`: `prompt_tokens` is all input, cached reads included. */
export function openaiChatUsage(usage: ResolvedUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cacheReadTokens,
      audio_tokens: 0,
      // Optional in openai@6 types and absent from most real responses: only sent when scripted.
      ...(usage.cacheWriteTokens > 0 ? { cache_write_tokens: usage.cacheWriteTokens } : {}),
    },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** OpenAI Responses `usage`: `input_tokens` is all input, details name the cached and reasoning parts. */
export function openaiResponsesUsage(usage: ResolvedUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    // openai@6.49 types `cache_write_tokens` as a required detail of Responses usage.
    input_tokens_details: { cached_tokens: usage.cacheReadTokens, cache_write_tokens: usage.cacheWriteTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** Legacy completions `usage`: prompt, completion and total tokens, no details. */
export function openaiCompletionsUsage(usage: ResolvedUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** OpenAI embeddings `usage`. */
export function openaiEmbeddingsUsage(usage: ResolvedUsage): Record<string, unknown> {
  return { prompt_tokens: usage.inputTokens, total_tokens: usage.inputTokens };
}

/** Anthropic's `input_tokens` excludes cache reads and writes; the fake's `inputTokens` includes them. */
function uncachedInput(usage: ResolvedUsage): number {
  return Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
}

/**
 * Anthropic `usage` of a message (and of `message_start`, with `outputTokens`
 * replaced by what the model had produced at that point).
 */
export function anthropicUsage(
  usage: ResolvedUsage,
  reply: ResolvedReply,
  outputTokens = usage.outputTokens,
): Record<string, unknown> {
  return {
    input_tokens: uncachedInput(usage),
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cacheWrite5mTokens,
      ephemeral_1h_input_tokens: usage.cacheWrite1hTokens,
    },
    output_tokens: outputTokens,
    service_tier: reply.serviceTier ?? 'standard',
    ...(usage.reasoningTokens > 0 ? { output_tokens_details: { thinking_tokens: usage.reasoningTokens } } : {}),
  };
}

/** Anthropic `message_delta` usage: cumulative totals of the whole message. */
export function anthropicDeltaUsage(usage: ResolvedUsage): Record<string, unknown> {
  return {
    input_tokens: uncachedInput(usage),
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    output_tokens: usage.outputTokens,
    ...(usage.reasoningTokens > 0 ? { output_tokens_details: { thinking_tokens: usage.reasoningTokens } } : {}),
  };
}

/**
 * Gemini `usageMetadata`. `promptTokenCount` is all input, cached content included;
 * `candidatesTokenCount` excludes thoughts, which `thoughtsTokenCount` reports; the
 * total is their sum. `cachedContentTokenCount` and `thoughtsTokenCount` appear only
 * when non-zero, as the real API omits them. A stream's chunks before the last
 * (`final` false) carry the prompt and thoughts but no candidates count yet, as
 * Gemini 2.5 streams do; the last chunk carries the totals.
 */
export function geminiUsageMetadata(usage: ResolvedUsage, final = true): Record<string, unknown> {
  const thoughts = usage.reasoningTokens;
  const candidates = Math.max(0, usage.outputTokens - thoughts);
  return {
    promptTokenCount: usage.inputTokens,
    ...(final ? { candidatesTokenCount: candidates } : {}),
    totalTokenCount: usage.inputTokens + (final ? candidates : 0) + thoughts,
    ...(usage.cacheReadTokens > 0 ? { cachedContentTokenCount: usage.cacheReadTokens } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.inputTokens }],
    ...(usage.cacheReadTokens > 0 ? { cacheTokensDetails: [{ modality: 'TEXT', tokenCount: usage.cacheReadTokens }] } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

/** The usage a wire sends: the scripted raw value when there is one, else `build(usage)`. */
export function wireUsage(reply: ResolvedReply, build: (usage: ResolvedUsage) => unknown): unknown {
  return reply.hasRawUsage ? reply.rawUsage : build(reply.usage);
}
