import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Options of {@link OpenAIInstrumentation}. Every field is optional. */
export interface OpenAIInstrumentationConfig extends InstrumentationConfig {
  /**
   * Record prompts and completions as `gen_ai.input.messages`,
   * `gen_ai.output.messages` and `gen_ai.system_instructions` (JSON strings).
   * Overridden by `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true|false`.
   * @default false
   */
  captureMessageContent?: boolean;
  /**
   * Longest text part kept in captured content, in characters; longer parts are
   * cut and end in `…`. Overridden by `COSTTRACE_CONTENT_MAX_LENGTH`.
   * @default 16384
   */
  contentMaxLength?: number;
  /**
   * A chat stream whose caller did not ask for `stream_options.include_usage`
   * gets it anyway (so the call's usage is known); with this on, the extra
   * usage chunk and the `usage: null` field it adds to every chunk are removed
   * before the caller sees them. Overridden by `COSTTRACE_OPENAI_HIDE_INJECTED_USAGE=true|false`.
   * @default true
   */
  hideInjectedUsageChunk?: boolean;
  /**
   * A stream (or response) the caller has not started reading this long after it
   * arrived ends its span as `cancelled`, `costtrace.stream.unread=true`, with
   * estimated usage. The request is left alone. Overridden by `COSTTRACE_UNREAD_STREAM_TIMEOUT_MS`.
   * @default 60000
   */
  unreadStreamTimeoutMs?: number;
  /**
   * Leave the caller's baggage in the context the SDK call runs in, so an HTTP
   * instrumentation may send it to OpenAI in a `baggage` header.
   * @default false
   */
  propagateBaggage?: boolean;
}
