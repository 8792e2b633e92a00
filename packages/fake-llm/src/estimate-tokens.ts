/** Request fields that hold the prompt, across the OpenAI, Anthropic and Gemini APIs. */
const PROMPT_FIELDS = ['messages', 'system', 'input', 'instructions', 'prompt', 'contents', 'systemInstruction'] as const;

/** Keys whose string values are protocol words, not prompt text. */
const IGNORED_KEYS = new Set(['role', 'type', 'id', 'cache_control', 'name', 'tool_use_id', 'media_type', 'mimeType']);

/**
 * A deterministic stand-in for a tokenizer: one token per 4 characters of prompt
 * text (every string in the prompt fields, protocol words like `role` excluded),
 * at least 1. Arrays of numbers are taken as token ids, one token each.
 */
export function estimateInputTokens(body: Record<string, unknown>): number {
  let chars = 0;
  let ids = 0;
  const walk = (value: unknown, key: string | undefined, depth: number): void => {
    if (depth > 32) return;
    if (typeof value === 'string') {
      if (key === undefined || !IGNORED_KEYS.has(key)) chars += value.length;
    } else if (typeof value === 'number') {
      if (key === undefined) ids += 1;
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, undefined, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k, depth + 1);
    }
  };
  for (const field of PROMPT_FIELDS) walk(body[field], undefined, 0);
  return Math.max(1, Math.ceil(chars / 4) + ids);
}

/** The inputs of an embeddings request, one string (or token-id list) each. */
export function embeddingInputs(body: Record<string, unknown>): unknown[] {
  const input = body['input'];
  if (Array.isArray(input) && input.length > 0 && typeof input[0] !== 'number') return input;
  return [input ?? ''];
}
