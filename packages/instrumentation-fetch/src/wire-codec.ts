import type { Attributes } from '@opentelemetry/api';
import type { CallCodec, CallEnd, CallEstimate, CallSink, InferenceCall } from '@costtrace/pipeline';
import type { TokenUsage } from '@costtrace/semconv';
import type { BodyMode, WireChunk } from './wire-chunks';

/** The largest JSON body kept to read its usage; past it the usage is estimated. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const encoder = new TextEncoder();

/**
 * A provider codec seen through the wire: the lifecycle hands it the response body's
 * {@link WireChunk}s; it gives the codec the events they carry (SSE), or the whole JSON
 * document at the end. Hiding what the codec added to the request rewrites a chunk's bytes.
 */
export class WireCodec implements CallCodec {
  private readonly _json: Uint8Array[] = [];
  private _jsonBytes = 0;

  constructor(
    private readonly _inner: CallCodec,
    private readonly _call: InferenceCall,
    private readonly _mode: BodyMode,
  ) {}

  get operation(): string {
    return this._inner.operation;
  }
  get requestModel(): string {
    return this._inner.requestModel;
  }
  get streaming(): boolean {
    return this._inner.streaming;
  }
  get estimate(): CallEstimate {
    return this._inner.estimate;
  }
  get attributes(): Attributes {
    return this._inner.attributes;
  }
  get chargesStoppedRequests(): boolean {
    return this._inner.chargesStoppedRequests;
  }
  get hides(): boolean {
    return this._mode === 'sse' && this._inner.hides;
  }

  onBody(sink: CallSink, body: unknown): CallEnd {
    return this._inner.onBody(sink, body);
  }

  onChunk(sink: CallSink, chunk: unknown): void {
    const c = chunk as WireChunk;
    if (this._mode === 'json') {
      if (this._jsonBytes + c.bytes.length <= MAX_JSON_BYTES) this._json.push(c.bytes);
      this._jsonBytes += c.bytes.length;
      return;
    }
    for (const event of c.events) if (event.data !== undefined) this._inner.onChunk(sink, event.data);
  }

  onStreamEnd(sink: CallSink): CallEnd {
    if (this._mode === 'sse') return this._inner.onStreamEnd(sink);
    const body = this._jsonBytes <= MAX_JSON_BYTES ? parseJson(this._json) : undefined;
    this._json.length = 0;
    if (body === undefined) {
      if (this._inner.chargesStoppedRequests) sink.recordUsage(this._inner.estimatedUsage(), true);
      return {};
    }
    if (this._inner.streaming) {
      // A stream sent as one JSON array (Gemini without `alt=sse`): its elements are the events.
      for (const element of Array.isArray(body) ? body : [body]) this._inner.onChunk(sink, element);
      return this._inner.onStreamEnd(sink);
    }
    this._call.markReceived();
    return this._inner.onBody(sink, body);
  }

  sawStreamEnd(): boolean {
    return this._inner.sawStreamEnd?.() ?? false;
  }

  estimatedUsage(): TokenUsage {
    return this._inner.estimatedUsage();
  }

  /**
   * Drops the events the codec hides (OpenAI's injected usage chunk) and what it cleans
   * from the others (`"usage":null`), by rewriting the chunk's bytes from its events' own
   * text. A chunk left empty is dropped.
   */
  hide(chunk: unknown): boolean {
    const c = chunk as WireChunk;
    let text = '';
    for (const event of c.events) {
      const data = event.data as Record<string, unknown> | undefined;
      const hadNullUsage = typeof data === 'object' && data !== null && data['usage'] === null;
      if (data !== undefined && this._inner.hide(data)) continue;
      text += hadNullUsage && !('usage' in data!) ? withoutNullUsage(event.raw) : event.raw;
    }
    c.bytes = text === '' ? new Uint8Array(0) : encoder.encode(text);
    return c.bytes.length === 0;
  }
}

/** The event's text without its top-level `"usage":null` (a key inside a JSON string has its quotes escaped). */
function withoutNullUsage(raw: string): string {
  const after = raw.replace(/,\s*"usage"\s*:\s*null(?=\s*[,}])/, '');
  return after !== raw ? after : raw.replace(/"usage"\s*:\s*null\s*,/, '');
}

function parseJson(parts: Uint8Array[]): unknown {
  try {
    const decoder = new TextDecoder();
    let text = '';
    for (const part of parts) text += decoder.decode(part, { stream: true });
    text += decoder.decode();
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
