import type { DiagLogger } from '@opentelemetry/api';
import type { CallCodec } from '@costtrace/pipeline';
import type { ResolvedOptions } from './options';
import type { TokenCounter } from './token-counter';

/** What every surface needs from the instrumentation. */
export interface SurfaceDeps {
  readonly diag: DiagLogger;
  readonly options: ResolvedOptions;
  readonly counter: TokenCounter;
}

/**
 * One call on one API surface (chat completions, Responses, embeddings): its
 * codec, plus how to send it through the SDK.
 */
export interface SurfaceCall extends CallCodec {
  /** The arguments to send: the caller's, with the model to send and the call's signal. */
  sendArgs(args: readonly unknown[], model: string, signal: AbortSignal | undefined): unknown[];
  /** What the SDK's stream iterator threw, before the stream ends: the SDK throws a stream's error event. */
  onStreamError?(error: unknown): void;
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
