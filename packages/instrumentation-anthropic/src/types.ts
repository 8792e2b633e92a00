import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/**
 * What happens to the spans `@anthropic-ai/sdk` emits itself (0.137 and 1.x do,
 * when they see a tracer provider).
 *
 * - `keep`: they stay, as children of costtrace's inference span, where the cost
 *   processor marks them `costtrace.pricing.status=duplicate` (one call, counted once).
 * - `suppress`: the SDK makes no span for a patched call (the client's tracer is
 *   hidden from it for the synchronous extent of the call).
 */
export type SdkSpansMode = 'keep' | 'suppress';

/** Options of {@link AnthropicInstrumentation}. Every field is optional. */
export interface AnthropicInstrumentationConfig extends InstrumentationConfig {
  /**
   * Record prompts and completions as `gen_ai.input.messages`,
   * `gen_ai.output.messages` and `gen_ai.system_instructions` (JSON strings).
   * Overridden by `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true|false`.
   * @default false
   */
  captureMessageContent?: boolean;
  /**
   * Longest captured content attribute, in characters; a longer JSON string is
   * cut and ends in `…`. Overridden by `COSTTRACE_CONTENT_MAX_LENGTH`.
   * @default 16384
   */
  contentMaxLength?: number;
  /**
   * A response (stream or message) the caller has not started reading this long
   * after the call returned ends its span as `cancelled`,
   * `costtrace.stream.unread=true`, with estimated usage. The request is left
   * alone. Overridden by `COSTTRACE_UNREAD_STREAM_TIMEOUT_MS`.
   * @default 60000
   */
  unreadStreamTimeoutMs?: number;
  /**
   * The SDK's own spans: kept under ours, or suppressed. Overridden by
   * `COSTTRACE_ANTHROPIC_SDK_SPANS=keep|suppress`.
   * @default 'keep'
   */
  sdkSpans?: SdkSpansMode;
  /**
   * Leave the caller's baggage in the context the SDK call runs in, so an HTTP
   * instrumentation (or the SDK's own propagation) may send it to Anthropic in a
   * `baggage` header.
   * @default false
   */
  propagateBaggage?: boolean;
}
