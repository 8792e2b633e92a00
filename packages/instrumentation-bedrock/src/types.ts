import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Options of {@link BedrockInstrumentation}. Every field is optional. */
export interface BedrockInstrumentationConfig extends InstrumentationConfig {
  /**
   * Record prompts and completions (Claude's InvokeModel calls only, through the
   * Anthropic messages codec). Overridden by
   * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true|false`.
   * @default false
   */
  captureMessageContent?: boolean;
  /**
   * Longest captured content attribute, in characters. Overridden by `COSTTRACE_CONTENT_MAX_LENGTH`.
   * @default 16384
   */
  contentMaxLength?: number;
  /**
   * A stream the caller has not started reading this long after `send()`
   * resolved ends its span as `cancelled`, `costtrace.stream.unread=true`, with
   * estimated usage. The request is left alone. Overridden by `COSTTRACE_UNREAD_STREAM_TIMEOUT_MS`.
   * @default 60000
   */
  unreadStreamTimeoutMs?: number;
  /**
   * Leave the caller's baggage in the context the SDK call runs in, so an HTTP
   * instrumentation may send it to AWS in a `baggage` header.
   * @default false
   */
  propagateBaggage?: boolean;
}
