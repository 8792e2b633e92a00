import type { TokenCounter } from './token-counter';

// OpenAI's cookbook counts 3 tokens of framing per chat message (+1 with a
// name) and 3 to prime the reply; one more per message keeps the estimate above
// the real count, as the budget gate's reservation needs.
const TOKENS_PER_MESSAGE = 4;
const REPLY_PRIMING_TOKENS = 3;
// The most a high-detail image costs on current models (gpt-4.1-mini's patch
// scheme caps at 1536 patches); low detail is a flat 85.
const IMAGE_TOKENS = 1536;
const LOW_DETAIL_IMAGE_TOKENS = 85;
const IMAGE_TYPES = new Set(['image_url', 'input_image', 'image']);
// Base64 payloads (files, audio) have no offline tokenizer: one token per 4
// characters of payload, which is more than the provider bills.
const BASE64_CHARS_PER_TOKEN = 4;
const BASE64_KEYS = new Set(['file_data', 'data']);
/** Keys whose string values are protocol words, not text the model reads. */
const PROTOCOL_KEYS = new Set(['role', 'type', 'id', 'detail', 'call_id', 'tool_call_id', 'status', 'format', 'file_id']);
const MAX_DEPTH = 32;

/** Input tokens of a chat completions request: messages, tools and response format. */
export function estimateChatInput(params: Record<string, unknown>, model: string, counter: TokenCounter): number {
  let tokens = REPLY_PRIMING_TOKENS;
  const messages = params['messages'];
  if (Array.isArray(messages)) {
    for (const message of messages) tokens += TOKENS_PER_MESSAGE + contentTokens(message, model, counter, 0);
  }
  tokens += jsonTokens(params['tools'], model, counter);
  tokens += jsonTokens(params['functions'], model, counter);
  tokens += jsonTokens(params['response_format'], model, counter);
  return tokens;
}

/**
 * Input tokens of a Responses request: `instructions`, `input` and tools.
 * Context the server adds from `previous_response_id` or a `conversation` is
 * not known here and not counted.
 */
export function estimateResponsesInput(params: Record<string, unknown>, model: string, counter: TokenCounter): number {
  let tokens = REPLY_PRIMING_TOKENS;
  const instructions = params['instructions'];
  if (typeof instructions === 'string') tokens += TOKENS_PER_MESSAGE + counter.count(instructions, model);
  const input = params['input'];
  if (typeof input === 'string') tokens += TOKENS_PER_MESSAGE + counter.count(input, model);
  else if (Array.isArray(input)) {
    for (const item of input) tokens += TOKENS_PER_MESSAGE + contentTokens(item, model, counter, 0);
  }
  tokens += jsonTokens(params['tools'], model, counter);
  tokens += jsonTokens(params['text'], model, counter);
  return tokens;
}

/** Input tokens of an embeddings request: text, a list of texts, or token ids. */
export function estimateEmbeddingsInput(params: Record<string, unknown>, model: string, counter: TokenCounter): number {
  const input = params['input'];
  if (typeof input === 'string') return counter.count(input, model);
  if (!Array.isArray(input)) return 0;
  let tokens = 0;
  for (const item of input) {
    if (typeof item === 'string') tokens += counter.count(item, model);
    else if (typeof item === 'number') tokens += 1;
    else if (Array.isArray(item)) tokens += item.length;
  }
  return tokens;
}

function contentTokens(value: unknown, model: string, counter: TokenCounter, depth: number): number {
  if (depth > MAX_DEPTH) return 0;
  if (typeof value === 'string') return counter.count(value, model);
  if (Array.isArray(value)) {
    let tokens = 0;
    for (const item of value) tokens += contentTokens(item, model, counter, depth + 1);
    return tokens;
  }
  if (typeof value !== 'object' || value === null) return 0;
  const record = value as Record<string, unknown>;
  if (typeof record['type'] === 'string' && IMAGE_TYPES.has(record['type'])) return imageTokens(record);
  let tokens = 0;
  for (const [key, item] of Object.entries(record)) {
    if (PROTOCOL_KEYS.has(key) && typeof item === 'string') continue;
    if (BASE64_KEYS.has(key) && typeof item === 'string') {
      tokens += Math.ceil(item.length / BASE64_CHARS_PER_TOKEN);
      continue;
    }
    tokens += contentTokens(item, model, counter, depth + 1);
  }
  return tokens;
}

function imageTokens(part: Record<string, unknown>): number {
  const nested = part['image_url'];
  const detail =
    typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>)['detail'] : part['detail'];
  return detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_TOKENS;
}

function jsonTokens(value: unknown, model: string, counter: TokenCounter): number {
  if (value === undefined || value === null) return 0;
  try {
    return counter.count(JSON.stringify(value) ?? '', model);
  } catch {
    return 0; // a cyclic tool definition cannot be sent either
  }
}
