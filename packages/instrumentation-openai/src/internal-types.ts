import type { Attributes, DiagLogger } from '@opentelemetry/api';
import type { CallEnd, CallEstimate, InferenceCall } from '@costtrace/pipeline';
import type { TokenUsage } from '@costtrace/semconv';
import type { ResolvedOptions } from './options';
import type { TokenCounter } from './token-counter';

/** What every surface needs from the instrumentation. */
export interface SurfaceDeps {
  readonly diag: DiagLogger;
  readonly options: ResolvedOptions;
  readonly counter: TokenCounter;
}

/**
 * One call on one API surface (chat completions, Responses, embeddings): what
 * the request asks for, how to send it, and how to read its response or stream.
 */
export interface SurfaceCall {
  readonly operation: string;
  readonly requestModel: string;
  readonly streaming: boolean;
  readonly estimate: CallEstimate;
  /** Request attributes of the span (`server.address`, `gen_ai.request.*`, content when opted in). */
  readonly attributes: Attributes;
  /** The arguments to send: the caller's, with the model to send and the call's signal. */
  sendArgs(args: readonly unknown[], model: string, signal: AbortSignal): unknown[];
  /** Reads a non-streaming response body onto the call (attributes and usage). */
  onBody(call: InferenceCall, body: unknown): CallEnd;
  /** Reads one stream chunk or event, before the caller gets it. */
  onChunk(call: InferenceCall, chunk: unknown): void;
  /** True when the chunk is ours (the injected usage chunk) and the caller must not see it; may clean the chunk in place. */
  hide(chunk: unknown): boolean;
  /** True when {@link hide} has anything to do. */
  readonly hides: boolean;
  /** Called once when the stream is done, however it ended: records final attributes and usage. */
  onStreamEnd(call: InferenceCall): CallEnd;
  /** Usage when the body is never read: the input estimate, plus the output cap when the request has one. */
  estimatedUsage(): TokenUsage;
}

/** An `openai` resource instance (`client.chat.completions`, …). */
export interface ResourceLike {
  _client?: { baseURL?: unknown };
}

/** The shape of the SDK's `APIPromise` this package relies on (openai 4 to 7). */
export interface ApiPromiseLike extends Promise<unknown> {
  responsePromise: Promise<unknown>;
  parseResponse: (...args: unknown[]) => unknown;
  parsedPromise?: Promise<unknown>;
  parse: (...args: unknown[]) => Promise<unknown>;
  asResponse: (...args: unknown[]) => Promise<unknown>;
  /** On the prototype in openai 4 to 6; an own property of each promise in openai 7. */
  _thenUnwrap?: (...args: unknown[]) => unknown;
}

/** The SDK's `Stream`: `[Symbol.asyncIterator]`, `tee()` and `toReadableStream()` all call `iterator()`. */
export interface StreamLike {
  iterator: (...args: unknown[]) => AsyncIterator<unknown>;
  controller: unknown;
}

export type Params = Record<string, unknown>;
