import { isRecord, lazyEstimate, type CallEstimate } from '@costtrace/pipeline';
import type { TokenUsage } from '@costtrace/semconv';

// No offline tokenizer covers Bedrock's models (Claude, Nova, Llama, Mistral), so every
// count here over-estimates on purpose (DESIGN.md, budget semantics 5), as the
// Anthropic instrumentation's does: 1 token per 3 ASCII characters of prompt text,
// 1 per other UTF-16 unit; 10 tokens of framing per message and per request; an
// image, document or video block (bytes) 3,000 tokens. Output deltas while
// streaming are counted by the Anthropic instrumentation's `OutputEstimate`.
const INPUT_CHARS_PER_TOKEN = 3;
const OVERHEAD_TOKENS = 10;
const MEDIA_TOKENS = 3_000;
const MEDIA_KEYS = new Set(['image', 'document', 'video', 'bytes']);
/** Keys whose strings are protocol words, not text the model reads. */
const IGNORED_KEYS = new Set(['role', 'type', 'format', 'anthropic_version', 'cachePoint', 'toolUseId']);

/** Over-estimated input tokens of a request's prompt fields (any of the Bedrock shapes). */
export function estimateInput(params: Record<string, unknown>, fields: readonly string[]): number {
  let ascii = 0;
  let other = 0;
  let extra = OVERHEAD_TOKENS;
  const walk = (value: unknown, key: string | undefined, depth: number): void => {
    if (depth > 32) return;
    if (key !== undefined && MEDIA_KEYS.has(key) && value !== null && typeof value === 'object') {
      extra += MEDIA_TOKENS;
      return;
    }
    if (typeof value === 'string') {
      if (key !== undefined && IGNORED_KEYS.has(key)) return;
      for (let i = 0; i < value.length; i++) {
        if (value.charCodeAt(i) < 128) ascii++;
        else other++;
      }
    } else if (Array.isArray(value)) {
      for (const item of value) {
        if (depth === 0) extra += OVERHEAD_TOKENS;
        walk(item, undefined, depth + 1);
      }
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, k, depth + 1);
    }
  };
  for (const field of fields) walk(params[field], undefined, 0);
  return Math.ceil(ascii / INPUT_CHARS_PER_TOKEN) + other + extra;
}

/** A {@link CallEstimate} with the request's output cap, when it has a valid one. */
export function callEstimate(inputTokens: () => number, maxOutputTokens: unknown): CallEstimate {
  const valid = typeof maxOutputTokens === 'number' && Number.isSafeInteger(maxOutputTokens) && maxOutputTokens >= 0;
  return lazyEstimate(inputTokens, valid ? { choices: 1, maxOutputTokens } : { choices: 1 });
}

/** The worst case of a call nothing could read: the input estimate and the output cap. */
export function worstCase(estimate: CallEstimate): TokenUsage {
  return { inputTokens: estimate.inputTokens, outputTokens: estimate.maxOutputTokens ?? 0 };
}
