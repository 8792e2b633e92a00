import { SseDecoder, type SseEvent } from './sse-decoder';

/** One read of the response body: its bytes as they arrived, and the events they complete. */
export interface WireChunk {
  /** What the caller gets (rewritten in place when events are hidden). */
  bytes: Uint8Array;
  /** Server-sent events this read completed (none for a JSON body). */
  readonly events: readonly SseEvent[];
}

/** How a response body is read: a text/event-stream, or one JSON document (a JSON array for a Gemini stream without `alt=sse`). */
export type BodyMode = 'sse' | 'json';

const EMPTY = new Uint8Array(0);
const NO_EVENTS: readonly never[] = [];

/**
 * The response body as {@link WireChunk}s, read only when the caller reads: one read of the
 * original body per `next()`. Its `return()` cancels the original body (the request's
 * connection closes).
 */
export function wireChunks(body: ReadableStream<Uint8Array>, mode: BodyMode): AsyncIterator<WireChunk> {
  const reader = body.getReader();
  const decoder = mode === 'sse' ? new SseDecoder() : undefined;
  let done = false;
  // Plain promise chains, not async functions: one promise fewer per read of every body.
  const onRead = (read: { done: boolean; value?: Uint8Array }): IteratorResult<WireChunk> => {
    if (read.done) {
      done = true;
      const rest = decoder?.end() ?? [];
      // An event left without its blank line still reaches the codec (its bytes went out already).
      return rest.length > 0 ? { done: false, value: { bytes: EMPTY, events: rest } } : { done: true, value: undefined };
    }
    return { done: false, value: { bytes: read.value!, events: decoder ? decoder.push(read.value!) : NO_EVENTS } };
  };
  return {
    next(): Promise<IteratorResult<WireChunk>> {
      if (done) return Promise.resolve({ done: true, value: undefined });
      return reader.read().then(onRead);
    },
    async return(): Promise<IteratorResult<WireChunk>> {
      if (!done) {
        done = true;
        await reader.cancel().catch(() => undefined);
      }
      return { done: true, value: undefined };
    },
  };
}
