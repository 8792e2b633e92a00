/**
 * Token usage of one model call, normalised from whatever dialect recorded it.
 *
 * Counts follow the OpenTelemetry GenAI convention: `inputTokens` is *all* input,
 * cached reads and cache writes included (OpenAI's `prompt_tokens`; Anthropic's
 * `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`), and
 * `outputTokens` is all output, reasoning included. The other fields are parts
 * of those two totals, never additions to them. A field is absent when the
 * source did not report it; 0 means the source reported zero.
 */
export interface TokenUsage {
  /** All input tokens, cached reads and cache writes included. */
  inputTokens?: number;
  /** All output tokens, reasoning included. */
  outputTokens?: number;
  /** Part of `inputTokens` read from the provider's prompt cache. */
  cacheReadTokens?: number;
  /** Part of `inputTokens` written to the prompt cache (all lifetimes). */
  cacheWriteTokens?: number;
  /** Part of `cacheWriteTokens` written with a 5-minute lifetime (Anthropic). */
  cacheWrite5mTokens?: number;
  /** Part of `cacheWriteTokens` written with a 1-hour lifetime (Anthropic). */
  cacheWrite1hTokens?: number;
  /** Part of `outputTokens` spent on reasoning. */
  reasoningTokens?: number;
  /** Part of `inputTokens` that was audio. */
  inputAudioTokens?: number;
  /** Part of `outputTokens` that was audio. */
  outputAudioTokens?: number;
}

/**
 * The attributes of a span, or anything shaped like them: OpenTelemetry's
 * `Attributes`, a `ReadableSpan`'s `attributes`, or a plain record decoded
 * from OTLP. Values are read defensively, so `unknown` is fine.
 */
export type AttributesLike = Readonly<Record<string, unknown>>;

/**
 * Options of {@link readUsage}.
 */
export interface ReadUsageOptions {
  /**
   * Whether the producer wrote Anthropic's raw `input_tokens`, which leaves out
   * cache reads and cache writes, into the input attribute.
   *
   * - `true`: always add cache reads and writes to the input read.
   * - `false`: never add them; trust the input as the total.
   * - absent (the default): add them only when the span proves the input
   *   excludes them, i.e. when `cacheRead + cacheWrite > input`.
   *
   * @default undefined (detect)
   */
  inputExcludesCache?: boolean;
}
