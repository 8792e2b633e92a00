/**
 * Token usage a reply reports, in provider-neutral terms. The field names match
 * `TokenUsage` of `@costtrace/semconv`, and so do the meanings: `inputTokens` is
 * *all* input (cache reads and cache writes included) and `outputTokens` is all
 * output (reasoning included). The fake converts it to each wire's own shape
 * (OpenAI `prompt_tokens`, Anthropic `input_tokens` without the cached parts, …).
 */
export interface ScriptedUsage {
  /**
   * All input tokens, cache reads and writes included.
   * @default ceil(characters of the request's messages / 4), plus any scripted cache tokens
   */
  inputTokens?: number;
  /**
   * All output tokens, reasoning included. Capped at the request's `max_tokens`
   * (`max_completion_tokens`, `max_output_tokens`) the way the real APIs cap it.
   * @default the number of words in `text`, else 16 (times `n` for OpenAI chat)
   */
  outputTokens?: number;
  /** Part of `inputTokens` read from the prompt cache. @default 0 */
  cacheReadTokens?: number;
  /**
   * Part of `inputTokens` written to the prompt cache, all lifetimes.
   * @default cacheWrite5mTokens + cacheWrite1hTokens
   */
  cacheWriteTokens?: number;
  /**
   * Part of `cacheWriteTokens` written with a 5-minute lifetime (Anthropic).
   * @default cacheWriteTokens − cacheWrite1hTokens
   */
  cacheWrite5mTokens?: number;
  /** Part of `cacheWriteTokens` written with a 1-hour lifetime (Anthropic). @default 0 */
  cacheWrite1hTokens?: number;
  /** Part of `outputTokens` spent on reasoning. @default 0 */
  reasoningTokens?: number;
}

/** The body of a scripted HTTP error, written in the provider's own error format. */
export interface ReplyError {
  /**
   * The provider's error type (`rate_limit_error`, `overloaded_error`, `server_error`, …).
   * @default the provider's usual type for the status
   */
  type?: string;
  /** Human-readable message. @default `fake-llm: scripted HTTP <status>` */
  message?: string;
  /** OpenAI's `code` (`rate_limit_exceeded`, `insufficient_quota`, …). Ignored by Anthropic. */
  code?: string | null;
  /** OpenAI's `param`. Ignored by Anthropic. @default null */
  param?: string | null;
}

/** An error event sent in the middle of a stream, after the response has started with 200. */
export interface StreamError {
  /** Number of content deltas sent before the error event. */
  afterChunks: number;
  /** Error type (Anthropic `overloaded_error`, OpenAI `server_error`). @default provider's 500 type */
  type?: string;
  /** Error message. @default `fake-llm: scripted stream error` */
  message?: string;
  /** OpenAI `code`. @default null */
  code?: string | null;
}

/**
 * A tool call the model makes, provider-neutral: OpenAI chat `tool_calls`, a Responses
 * `function_call` item, an Anthropic `tool_use` block or a Gemini `functionCall` part.
 */
export interface ScriptedToolCall {
  /** Name of the tool called (a handoff in the OpenAI Agents SDK is `transfer_to_<agent>`). */
  name: string;
  /** Arguments, sent as a JSON string (OpenAI) or an object (Anthropic `input`, Gemini `args`). @default {} */
  arguments?: Record<string, unknown>;
  /**
   * Call id (`call_…`, `toolu_…`). Gemini sends it as `functionCall.id` only when scripted.
   * @default a fake id with the request's sequence number and the call's index
   */
  id?: string;
}

/**
 * One scripted reply, provider-neutral: the same spec answers an OpenAI chat
 * completion, a Responses call, an embeddings call or an Anthropic message, each
 * in its own wire format. Every field is optional; what is missing is derived
 * from the request, deterministically.
 */
export interface Reply {
  /** Model name the response reports. @default the request's `model` */
  model?: string;
  /** Response id (`chatcmpl-…`, `resp_…`, `msg_…`). @default a fake id with the request's sequence number */
  id?: string;
  /**
   * Content of the reply; a stream sends it in `chunks` deltas.
   * @default one word per output token (`outputTokens − reasoningTokens` words); none with `toolCalls`
   */
  text?: string;
  /**
   * Tool calls the reply makes, after any `text`. The finish reason becomes `tool_calls`
   * (Anthropic `tool_use`, Gemini `STOP`) unless scripted.
   */
  toolCalls?: ScriptedToolCall[];
  /** Number of content deltas a stream sends. @default one per word of `text` */
  chunks?: number;
  /** Delay before the response headers are sent (streams and plain JSON alike). @default 0 */
  delayMs?: number;
  /** Delay before the first content delta of a stream. @default chunkDelayMs */
  firstChunkDelayMs?: number;
  /** Delay between content deltas of a stream. @default 0 */
  chunkDelayMs?: number;
  /** Usage to report, converted to the wire's shape. */
  usage?: ScriptedUsage;
  /**
   * Sent verbatim wherever the wire carries usage (for malformed-usage tests); wins over `usage`.
   * `null` is sent as `null`.
   */
  rawUsage?: unknown;
  /**
   * Why generation stopped. Neutral `stop`, `length`, `tool_calls`, `content_filter` are mapped
   * per wire (Anthropic `end_turn`, `max_tokens`, `tool_use`, `refusal`); other values are sent as is.
   * @default `length` when the output was capped by the request's max tokens, else `stop`
   */
  finishReason?: string;
  /** HTTP status. With 400 or more the reply is an error in the provider's format. @default 200 */
  status?: number;
  /** The error body of an HTTP error. @default a body typical of `status` */
  error?: ReplyError;
  /** Sent verbatim as the response body (with `status`), for malformed-response tests. */
  rawBody?: string;
  /** Destroy the socket after this many content deltas of a stream (0: right after the preamble). */
  disconnectAfterChunks?: number;
  /** Send the provider's mid-stream error event after some deltas, then end the stream. */
  streamError?: StreamError;
  /** Extra response headers (for example `retry-after` or `x-should-retry: 'false'`). */
  headers?: Record<string, string>;
  /** Service tier the response reports. @default `default` (OpenAI), `standard` (Anthropic) */
  serviceTier?: string;
  /** Embedding dimensions. @default the request's `dimensions`, else 8 */
  dimensions?: number;
}

/** The provider whose wire protocol a request used. */
export type FakeProvider = 'openai' | 'anthropic' | 'google' | 'bedrock' | 'unknown';

/** The API a request called. */
export type FakeApi =
  | 'chat.completions'
  | 'responses'
  | 'completions'
  | 'embeddings'
  | 'messages'
  | 'messages.count_tokens'
  | 'generateContent'
  | 'streamGenerateContent'
  | 'bedrock.converse'
  | 'bedrock.converse-stream'
  | 'bedrock.invoke'
  | 'bedrock.invoke-stream'
  | 'control'
  | 'unknown';

/** What the fake saw and did for one HTTP request. Fields update while the response runs. */
export interface RecordedRequest {
  /** Request id, also sent back as `x-request-id` (OpenAI) or `request-id` (Anthropic); Google sends none. */
  readonly id: string;
  /** Sequence number since the server started, from 1. */
  readonly seq: number;
  /** HTTP method. */
  readonly method: string;
  /** URL path without the query string. */
  readonly path: string;
  /** Provider whose wire protocol the path belongs to. */
  readonly provider: FakeProvider;
  /** API the path belongs to. */
  readonly api: FakeApi;
  /** Request headers, lower-case names; `authorization`, `x-api-key` and similar are `[REDACTED]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body; the raw text when it is not JSON; `undefined` when empty. */
  readonly body: unknown;
  /** The body's `model`, or for Gemini and Vertex AI the model the path names. */
  readonly model: string | undefined;
  /** Whether the body asked for a stream (Gemini: the path is `:streamGenerateContent`). */
  readonly stream: boolean;
  /** The `x-fake-scenario` header, if any. */
  readonly scenario: string | undefined;
  /** `Date.now()` when the request arrived. */
  readonly startedAt: number;
  /** `Date.now()` when the response closed (finished, aborted or destroyed). */
  endedAt: number | undefined;
  /** HTTP status sent. */
  status: number | undefined;
  /** Content deltas written to a stream. */
  chunksSent: number;
  /** SSE events written to a stream (preamble, deltas, usage, `[DONE]` included). */
  eventsSent: number;
  /** The whole response was written. */
  completed: boolean;
  /** The client closed the connection before the response was complete. */
  clientClosedEarly: boolean;
  /** The fake destroyed the socket on purpose (`disconnectAfterChunks`). */
  disconnected: boolean;
}

/** Picks a reply for a request, or returns `undefined` to leave it to the script. */
export type ReplyHandler = (request: RecordedRequest) => Reply | undefined;

/** Options of {@link startFakeLlm}. */
export interface FakeLlmOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Address to listen on. @default '127.0.0.1' */
  host?: string;
  /** Reply used when no handler and no script answers. @default `{}` (everything derived from the request) */
  defaultReply?: Reply;
  /** Most recorded requests kept; the oldest go first. @default 1000 */
  maxRecords?: number;
  /**
   * Serve the control API under `/__fake/` (`GET requests`, `POST script`, `POST reset`),
   * for clients in another process.
   * @default true
   */
  controlApi?: boolean;
}

/** Options of the waiting methods of {@link FakeLlm}. */
export interface WaitOptions {
  /** Reject after this many milliseconds. @default 5000 */
  timeoutMs?: number;
}

/** A running fake LLM server. */
export interface FakeLlm {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** `baseURL` for the `openai` client: `url + '/v1'`. */
  readonly openaiBaseURL: string;
  /** `baseURL` for the `@anthropic-ai/sdk` client: `url`. */
  readonly anthropicBaseURL: string;
  /**
   * `httpOptions.baseUrl` for the `@google/genai` client: `url` (the SDK adds the API
   * version and `models/…`, or for Vertex AI `publishers/google/models/…`).
   */
  readonly geminiBaseURL: string;
  /**
   * `endpoint` for `@aws-sdk/client-bedrock-runtime` clients (`/model/{modelId}/converse`, …): a
   * cleartext HTTP/2 port of its own, as those clients send over HTTP/2 by default. `url` serves the
   * same routes over HTTP/1.1 (a client given a `NodeHttpHandler`).
   */
  readonly bedrockEndpoint: string;
  /** Requests seen since the last reset, oldest first (bounded by `maxRecords`). */
  readonly requests: readonly RecordedRequest[];
  /** Queues replies for the next requests, consumed in order. */
  script(...replies: Reply[]): void;
  /** Queues replies for requests whose `x-fake-scenario` header equals `scenario`. */
  scriptScenario(scenario: string, ...replies: Reply[]): void;
  /** Adds a handler asked first for every request; returns a function that removes it. */
  onRequest(handler: ReplyHandler): () => void;
  /** Resolves once `count` requests have arrived since the last reset. */
  waitForRequests(count: number, options?: WaitOptions): Promise<readonly RecordedRequest[]>;
  /** Resolves once the response of request `id` has closed, however it closed. */
  waitForClose(id: string, options?: WaitOptions): Promise<RecordedRequest>;
  /** Forgets recorded requests, scripts, scenario scripts and handlers. */
  reset(): void;
  /** Stops listening and destroys every open connection. Never hangs. */
  close(): Promise<void>;
}
