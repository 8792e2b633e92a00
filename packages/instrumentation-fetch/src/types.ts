import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { WireProtocol, WireSurface } from './wire-protocol';

export type { WireProtocol, WireSurface } from './wire-protocol';

/** A base URL whose POST requests are model calls, beside the known provider hosts. */
export interface FetchBaseUrl {
  /** Requests whose URL starts with this (scheme, host, port and any path prefix): `http://localhost:4000`. */
  url: string;
  /**
   * The wire protocol spoken there. A family (`openai`, `anthropic`, `gemini`) keeps only
   * the surfaces of that family a path names; a surface (`openai.chat`) is used for every
   * POST under the URL whose path names none. @default any surface the path names
   */
  protocol?: WireProtocol | WireSurface;
  /** `gen_ai.provider.name` of its calls. @default by protocol: `openai`, `anthropic`, `gcp.gemini` */
  provider?: string;
}

/** Options of {@link FetchInstrumentation}. Every field is optional. */
export interface FetchInstrumentationConfig extends InstrumentationConfig {
  /**
   * Base URLs of proxies and self-hosted servers (LiteLLM, vLLM, Ollama, a gateway) whose
   * calls are model calls too. Overridden by `COSTTRACE_FETCH_BASE_URLS`: comma-separated
   * `url` or `url=protocol` entries (`http://localhost:4000,http://gw.internal/llm=openai.chat`).
   * @default [] (the known provider hosts only)
   */
  baseUrls?: ReadonlyArray<string | FetchBaseUrl>;
  /**
   * Record prompts and completions. Overridden by `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true|false`.
   * @default false
   */
  captureMessageContent?: boolean;
  /** Longest captured text, in characters. Overridden by `COSTTRACE_CONTENT_MAX_LENGTH`. @default 16384 */
  contentMaxLength?: number;
  /**
   * A chat stream whose request did not ask for `stream_options.include_usage` gets it (so the
   * call's usage is known); with this on, what it adds is removed from the body the caller reads.
   * Overridden by `COSTTRACE_OPENAI_HIDE_INJECTED_USAGE=true|false`.
   * @default true
   */
  hideInjectedUsageChunk?: boolean;
  /**
   * A response body not read this long after its headers arrived ends its span as `cancelled`,
   * `costtrace.stream.unread=true`, with estimated usage. Overridden by `COSTTRACE_UNREAD_STREAM_TIMEOUT_MS`.
   * @default 60000
   */
  unreadStreamTimeoutMs?: number;
  /** Let the caller's baggage reach the provider in request headers (an HTTP instrumentation's). @default false */
  propagateBaggage?: boolean;
}
