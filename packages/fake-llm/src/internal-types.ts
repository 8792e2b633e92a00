import type { RecordedRequest, ReplyError, StreamError } from './types';
import type { ResponseChannel } from './response-channel';
import type { ResolvedToolCall } from './tool-calls';

/** Usage with every field filled in. */
export interface ResolvedUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  reasoningTokens: number;
}

/** A reply with everything derived from the request filled in. */
export interface ResolvedReply {
  model: string;
  id: string | undefined;
  text: string;
  /** The text split into the deltas a stream sends. */
  deltas: string[];
  /** Tool calls after the text. */
  toolCalls: ResolvedToolCall[];
  usage: ResolvedUsage;
  hasRawUsage: boolean;
  rawUsage: unknown;
  /** Neutral or provider-native finish reason. */
  finishReason: string;
  delayMs: number;
  firstChunkDelayMs: number;
  chunkDelayMs: number;
  status: number;
  error: ReplyError | undefined;
  rawBody: string | undefined;
  disconnectAfterChunks: number | undefined;
  streamError: StreamError | undefined;
  headers: Record<string, string>;
  serviceTier: string | undefined;
  dimensions: number | undefined;
  /** OpenAI chat `n`. */
  choices: number;
}

/** The fake's own writable view of a record. */
export type MutableRecord = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

/** What a wire handler needs to answer one request. */
export interface Exchange {
  record: MutableRecord;
  /** Parsed JSON body (an empty object when the body was not an object). */
  body: Record<string, unknown>;
  /** The request URL's query (Gemini's `alt=sse`). */
  query: URLSearchParams;
  reply: ResolvedReply;
  channel: ResponseChannel;
  /** Unix seconds when the request arrived. */
  created: number;
}
