import { isRecord, type CallEstimate } from '@costtrace/pipeline';

// Claude has no offline tokenizer, so every count here is a deliberate
// over-estimate (DESIGN.md, budget semantics 5): a budget reserves a little too
// much rather than too little.
//
// - ASCII text: 1 token per 3 characters (Claude averages about 3.5 to 4 on
//   English and code); any other UTF-16 unit: 1 token each (CJK runs close to
//   one token per character).
// - Each message adds 10 tokens of framing, the request 10 more; tools add
//   400 tokens for the tool-use system prompt the API inserts, plus their JSON.
// - An image is 2,000 tokens (the API scales images to at most ~1.15 megapixels,
//   about 1,600 tokens). A base64 document (PDF) is 3,000 tokens, which a long
//   PDF passes: see the README's limitations. Text documents count their text.
// - Output deltas while streaming: 1 token per 2.5 ASCII characters, 1 per
//   other unit.
const INPUT_CHARS_PER_TOKEN = 3;
const OUTPUT_CHARS_PER_TOKEN = 2.5;
const MESSAGE_OVERHEAD_TOKENS = 10;
const REQUEST_OVERHEAD_TOKENS = 10;
const TOOLS_OVERHEAD_TOKENS = 400;
const IMAGE_TOKENS = 2_000;
const DOCUMENT_TOKENS = 3_000;

/** Over-estimated tokens of `text` as input. */
export function inputTokensOf(text: string): number {
  return tokensOf(text, INPUT_CHARS_PER_TOKEN);
}

/** Running counter of streamed output text, over-estimated. */
export class OutputEstimate {
  private _ascii = 0;
  private _other = 0;

  add(text: string): void {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) < 128) this._ascii++;
      else this._other++;
    }
  }

  get tokens(): number {
    return Math.ceil(this._ascii / OUTPUT_CHARS_PER_TOKEN) + this._other;
  }
}

/**
 * The gate's estimate of a Messages request: input over-estimated from system,
 * messages and tools; `max_tokens` as the output cap; and, when any
 * `cache_control` marker is present, the whole input as a possible cache write
 * (a cache miss writes the entire prefix up to the last breakpoint, at most all of it).
 */
export function estimateRequest(params: Record<string, unknown>): CallEstimate {
  let tokens = REQUEST_OVERHEAD_TOKENS;
  tokens += contentTokens(params['system']);
  const messages = Array.isArray(params['messages']) ? params['messages'] : [];
  for (const message of messages) {
    tokens += MESSAGE_OVERHEAD_TOKENS;
    tokens += contentTokens(isRecord(message) ? message['content'] : message);
  }
  const tools = params['tools'];
  if (Array.isArray(tools) && tools.length > 0) tokens += TOOLS_OVERHEAD_TOKENS + inputTokensOf(safeJson(tools));
  const estimate: CallEstimate = { inputTokens: tokens, choices: 1 };
  const maxTokens = params['max_tokens'];
  if (typeof maxTokens === 'number' && Number.isFinite(maxTokens) && maxTokens >= 0) estimate.maxOutputTokens = maxTokens;
  if (hasCacheControl(params)) estimate.cacheWriteTokens = tokens;
  const tier = params['service_tier'];
  if (typeof tier === 'string') estimate.serviceTier = tier;
  return estimate;
}

function contentTokens(content: unknown): number {
  if (content === undefined || content === null) return 0;
  if (typeof content === 'string') return inputTokensOf(content);
  if (!Array.isArray(content)) return inputTokensOf(safeJson(content));
  let tokens = 0;
  for (const block of content) tokens += blockTokens(block);
  return tokens;
}

function blockTokens(block: unknown): number {
  if (!isRecord(block)) return inputTokensOf(safeJson(block));
  switch (block['type']) {
    case 'text':
      return inputTokensOf(typeof block['text'] === 'string' ? block['text'] : safeJson(block['text']));
    case 'image':
      return IMAGE_TOKENS;
    case 'document': {
      const source = isRecord(block['source']) ? block['source'] : undefined;
      if (source?.['type'] === 'text' && typeof source['data'] === 'string') return inputTokensOf(source['data']);
      if (source?.['type'] === 'content') return contentTokens(source['content']);
      return DOCUMENT_TOKENS;
    }
    case 'tool_result':
      return inputTokensOf(safeJson(block['tool_use_id'])) + contentTokens(block['content']);
    default:
      return inputTokensOf(safeJson(block));
  }
}

function hasCacheControl(params: Record<string, unknown>): boolean {
  if (params['cache_control'] !== undefined && params['cache_control'] !== null) return true;
  const marked = (value: unknown): boolean =>
    Array.isArray(value) && value.some((item) => isRecord(item) && item['cache_control'] != null);
  if (marked(params['system']) || marked(params['tools'])) return true;
  const messages = params['messages'];
  return Array.isArray(messages) && messages.some((m) => isRecord(m) && marked(m['content']));
}

function tokensOf(text: string, charsPerToken: number): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / charsPerToken) + other;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
