import {
  ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS,
  ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS,
} from './anthropic';
import {
  ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from './gen-ai';
import type { AttributesLike, ReadUsageOptions, TokenUsage } from './types';
import {
  OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION,
  OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION_DETAILS_AUDIO,
  OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING,
  OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT,
  OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_AUDIO,
  OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ,
  OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE,
  OPENINFERENCE_LLM_TOKEN_COUNT_TOTAL,
  OPENLLMETRY_LLM_USAGE_TOTAL_TOKENS,
  OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS,
  OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS,
  OPENLLMETRY_USAGE_REASONING_TOKENS,
  OPENLLMETRY_USAGE_TOTAL_TOKENS,
  VERCEL_AI_USAGE_CACHED_INPUT_TOKENS,
  VERCEL_AI_USAGE_COMPLETION_TOKENS,
  VERCEL_AI_USAGE_INPUT_TOKENS,
  VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_READ_TOKENS,
  VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_WRITE_TOKENS,
  VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_NO_CACHE_TOKENS,
  VERCEL_AI_USAGE_OUTPUT_TOKENS,
  VERCEL_AI_USAGE_OUTPUT_TOKEN_DETAILS_REASONING_TOKENS,
  VERCEL_AI_USAGE_PROMPT_TOKENS,
  VERCEL_AI_USAGE_REASONING_TOKENS,
  VERCEL_AI_USAGE_TOKENS,
  VERCEL_AI_USAGE_TOTAL_TOKENS,
} from './usage-dialects';

// Each list is in priority order: current GenAI, legacy GenAI / OpenLLMetry,
// OpenInference, Vercel AI SDK. Fields are merged one by one, so a span that holds
// `gen_ai.usage.input_tokens` and only the Vercel AI SDK's cache attribute (as
// `ai 5` spans do) yields both. Module-level arrays: a lookup allocates nothing.

// `gen_ai.usage.input_tokens` and `…output_tokens` are read first, outside these lists.
const INPUT_FALLBACK_KEYS: readonly string[] = [
  ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT,
  VERCEL_AI_USAGE_INPUT_TOKENS,
  VERCEL_AI_USAGE_PROMPT_TOKENS,
  VERCEL_AI_USAGE_TOKENS,
];
const OUTPUT_FALLBACK_KEYS: readonly string[] = [
  ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION,
  VERCEL_AI_USAGE_OUTPUT_TOKENS,
  VERCEL_AI_USAGE_COMPLETION_TOKENS,
];
const TOTAL_KEYS: readonly string[] = [
  OPENLLMETRY_USAGE_TOTAL_TOKENS,
  OPENLLMETRY_LLM_USAGE_TOTAL_TOKENS,
  OPENINFERENCE_LLM_TOKEN_COUNT_TOTAL,
  VERCEL_AI_USAGE_TOTAL_TOKENS,
];
const CACHE_READ_KEYS: readonly string[] = [
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS,
  OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ,
  VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_READ_TOKENS,
  VERCEL_AI_USAGE_CACHED_INPUT_TOKENS,
];
// `cache_write` is the newer GenAI name (semconv-genai #440); `cache_creation` the 1.40 one.
const CACHE_WRITE_KEYS: readonly string[] = [
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS,
  OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE,
  VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_CACHE_WRITE_TOKENS,
];
const REASONING_KEYS: readonly string[] = [
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  OPENLLMETRY_USAGE_REASONING_TOKENS,
  OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING,
  VERCEL_AI_USAGE_OUTPUT_TOKEN_DETAILS_REASONING_TOKENS,
  VERCEL_AI_USAGE_REASONING_TOKENS,
];
const INPUT_AUDIO_KEYS: readonly string[] = [
  ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS,
  OPENINFERENCE_LLM_TOKEN_COUNT_PROMPT_DETAILS_AUDIO,
];
const OUTPUT_AUDIO_KEYS: readonly string[] = [
  ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS,
  OPENINFERENCE_LLM_TOKEN_COUNT_COMPLETION_DETAILS_AUDIO,
];

/**
 * Reads a call's token usage from span attributes in any dialect found in the wild
 * (current and legacy GenAI conventions, OpenLLMetry, OpenInference, the Vercel AI
 * SDK, Anthropic's cache lifetimes) and normalises it to {@link TokenUsage}:
 * `inputTokens` is all input, cache reads and writes included; `outputTokens` all
 * output, reasoning included.
 *
 * - Per field, the first attribute present in priority order wins (the README
 *   lists the order); dialects are merged field by field.
 * - A count is a number, taken as it is (negative, fractional, NaN and Infinity
 *   included, so that pricing can mark the call `invalid`), or a string that
 *   `Number()` reads as one (`"42"`, `" 42 "`). Anything else (a non-numeric or
 *   blank string, a boolean, an array, `null`) leaves the field absent.
 * - Input that excludes the cache (Anthropic's raw `input_tokens`) gets cache reads
 *   and writes added: always with `{ inputExcludesCache: true }`, never with
 *   `false`, and by default only when it is provably exclusive, i.e. when
 *   `cacheRead + cacheWrite > input` with all three finite and non-negative.
 * - Missing cache writes are the sum of Anthropic's 5-minute and 1-hour ones; a
 *   missing input or output is the total minus the other, when a total is present.
 *
 * Returns `undefined` when no usage attribute is present. Never throws; allocates
 * nothing but the result.
 *
 * @param attributes a span's attributes, or any record shaped like them
 * @param options see {@link ReadUsageOptions}
 */
export function readUsage(attributes: AttributesLike | undefined | null, options?: ReadUsageOptions): TokenUsage | undefined {
  if (attributes === null || typeof attributes !== 'object') return undefined;
  try {
    return read(attributes, options === undefined ? undefined : options.inputExcludesCache);
  } catch {
    // A Proxy or a getter that throws: no usage rather than a broken span pipeline.
    return undefined;
  }
}

/**
 * A token count as {@link readUsage} reads one: a number as it is, a numeric string
 * as its number, a bigint as a number, anything else `undefined`. Never throws.
 */
export function toTokenCount(value: unknown): number | undefined {
  switch (typeof value) {
    case 'number':
      return value;
    case 'string':
      return numericString(value);
    case 'bigint':
      return Number(value);
    default:
      return undefined;
  }
}

function read(attributes: AttributesLike, inputExcludesCache: boolean | undefined): TokenUsage | undefined {
  // The common case first: current GenAI totals.
  let input = toTokenCount(attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]);
  let output = toTokenCount(attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]);
  if (input === undefined) input = first(attributes, INPUT_FALLBACK_KEYS);
  if (output === undefined) output = first(attributes, OUTPUT_FALLBACK_KEYS);

  const cacheRead = first(attributes, CACHE_READ_KEYS);
  const cacheWrite5m = toTokenCount(attributes[ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS]);
  const cacheWrite1h = toTokenCount(attributes[ATTR_ANTHROPIC_USAGE_CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS]);
  let cacheWrite = first(attributes, CACHE_WRITE_KEYS);
  if (cacheWrite === undefined && (cacheWrite5m !== undefined || cacheWrite1h !== undefined)) {
    cacheWrite = (cacheWrite5m ?? 0) + (cacheWrite1h ?? 0);
  }
  const reasoning = first(attributes, REASONING_KEYS);
  const inputAudio = first(attributes, INPUT_AUDIO_KEYS);
  const outputAudio = first(attributes, OUTPUT_AUDIO_KEYS);

  // Input built from its parts is a total already; it must not get the cache added again.
  let inputIsTotal = false;
  if (input === undefined) {
    // Vercel AI SDK 6 spans may carry only the breakdown.
    const noCache = toTokenCount(attributes[VERCEL_AI_USAGE_INPUT_TOKEN_DETAILS_NO_CACHE_TOKENS]);
    if (noCache !== undefined) {
      input = noCache + (cacheRead ?? 0) + (cacheWrite ?? 0);
      inputIsTotal = true;
    }
  }
  if ((input === undefined) !== (output === undefined)) {
    const total = first(attributes, TOTAL_KEYS);
    if (total !== undefined && isCount(total)) {
      const known = input ?? output;
      if (known !== undefined && isCount(known) && total >= known) {
        if (input === undefined) input = total - known;
        else output = total - known;
      }
    }
  }

  if (input !== undefined && !inputIsTotal && inputExcludesCache !== false) {
    const read = cacheRead ?? 0;
    const write = cacheWrite ?? 0;
    if (inputExcludesCache === true) {
      input = input + read + write;
    } else if (isCount(input) && isCount(read) && isCount(write) && read + write > input) {
      // Inclusive input can never be below its own parts: this producer wrote
      // Anthropic's raw `input_tokens`, which leaves the cache out.
      input = input + read + write;
    }
  }

  if (
    input === undefined &&
    output === undefined &&
    cacheRead === undefined &&
    cacheWrite === undefined &&
    reasoning === undefined &&
    inputAudio === undefined &&
    outputAudio === undefined
  ) {
    return undefined;
  }
  const usage: TokenUsage = {};
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  if (cacheWrite5m !== undefined) usage.cacheWrite5mTokens = cacheWrite5m;
  if (cacheWrite1h !== undefined) usage.cacheWrite1hTokens = cacheWrite1h;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  if (inputAudio !== undefined) usage.inputAudioTokens = inputAudio;
  if (outputAudio !== undefined) usage.outputAudioTokens = outputAudio;
  return usage;
}

/** The first of `keys` whose value is a token count. */
function first(attributes: AttributesLike, keys: readonly string[]): number | undefined {
  for (let i = 0; i < keys.length; i++) {
    const count = toTokenCount(attributes[keys[i] as string]);
    if (count !== undefined) return count;
  }
  return undefined;
}

/** A finite, non-negative number: one that arithmetic on counts may trust. */
function isCount(value: number): boolean {
  return value >= 0 && value !== Infinity;
}

function numericString(value: string): number | undefined {
  const n = Number(value);
  // `Number()` reads a blank string as 0: a string counts only if it has a digit.
  if (Number.isNaN(n) || (n === 0 && !hasDigit(value))) return undefined;
  return n;
}

function hasDigit(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
