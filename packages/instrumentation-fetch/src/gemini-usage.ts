import { asObject, tokenCount as count } from '@costtrace/pipeline';
import type { TokenUsage } from '@costtrace/semconv';

type Json = Record<string, unknown>;

/**
 * Gemini's `usageMetadata` (Gemini API and Vertex AI alike) as costtrace's usage:
 * - input: `promptTokenCount` (cached content included) plus `toolUsePromptTokenCount`
 *   (the prompt of a built-in tool's call, billed as input);
 * - cache reads: `cachedContentTokenCount`, a part of the prompt;
 * - output: `candidatesTokenCount` plus `thoughtsTokenCount` (thinking is billed as output);
 *   reasoning: `thoughtsTokenCount`.
 * Undefined when the metadata is missing or carries no prompt count; parts that cannot fit
 * inside their totals are dropped (a malformed response must not price negative).
 */
export function geminiUsage(value: unknown): TokenUsage | undefined {
  const meta = asObject(value);
  if (!meta) return undefined;
  const prompt = count(meta['promptTokenCount']);
  if (prompt === undefined) return undefined;
  const toolPrompt = count(meta['toolUsePromptTokenCount']) ?? 0;
  const candidates = count(meta['candidatesTokenCount']) ?? 0;
  const thoughts = count(meta['thoughtsTokenCount']) ?? 0;
  const usage: TokenUsage = { inputTokens: prompt + toolPrompt, outputTokens: candidates + thoughts };
  const cached = count(meta['cachedContentTokenCount']);
  if (cached !== undefined && cached > 0 && cached <= prompt) usage.cacheReadTokens = cached;
  if (thoughts > 0) usage.reasoningTokens = thoughts;
  return usage;
}

