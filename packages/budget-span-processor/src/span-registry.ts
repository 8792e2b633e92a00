import type { SpanEntry } from './internal-types';
import type { ProcessorReadableSpan, ProcessorSpan } from './types';

/**
 * The open spans of this process by span id, so a call's budget scopes are
 * found by walking parent links at gate time and read from the spans' live
 * attributes. An entry goes when its span ends; spans that never end go after
 * `staleAfterMs`, and past `maxOpenSpans` new spans are not tracked.
 */
export class SpanRegistry {
  private readonly _entries = new Map<string, SpanEntry>();

  constructor(
    private readonly _max: number,
    private readonly _staleAfterMs: number,
  ) {}

  get size(): number {
    return this._entries.size;
  }

  /** Tracks a started span. False when the registry is full even after dropping stale entries. */
  add(span: ProcessorSpan, now: number): boolean {
    if (this._entries.size >= this._max) {
      this.sweep(now);
      if (this._entries.size >= this._max) return false;
    }
    const ctx = span.spanContext();
    const parent = span.parentSpanContext ?? legacyParent(span, ctx.traceId);
    const parentId = parent && !parent.isRemote && parent.traceId === ctx.traceId ? parent.spanId : undefined;
    this._entries.set(ctx.spanId, {
      span,
      traceId: ctx.traceId,
      spanId: ctx.spanId,
      parentId,
      addedMs: now,
      endingSeen: false,
      badValueWarned: false,
    });
    return true;
  }

  get(spanId: string | undefined, traceId: string): SpanEntry | undefined {
    if (spanId === undefined) return undefined;
    const entry = this._entries.get(spanId);
    return entry && entry.traceId === traceId ? entry : undefined;
  }

  /** The entry of an ending or ended span. */
  of(span: ProcessorReadableSpan): SpanEntry | undefined {
    const ctx = span.spanContext();
    return this.get(ctx.spanId, ctx.traceId);
  }

  remove(entry: SpanEntry): void {
    if (this._entries.get(entry.spanId) === entry) this._entries.delete(entry.spanId);
  }

  /** Drops spans open longer than `staleAfterMs`. Returns how many. */
  sweep(now: number): number {
    let dropped = 0;
    for (const [id, entry] of this._entries) {
      if (now - entry.addedMs > this._staleAfterMs) {
        this._entries.delete(id);
        dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this._entries.clear();
  }
}

// sdk-trace-base 1.x had `parentSpanId` instead of `parentSpanContext`.
function legacyParent(span: ProcessorSpan, traceId: string) {
  const id = (span as { parentSpanId?: unknown }).parentSpanId;
  return typeof id === 'string' ? { traceId, spanId: id, isRemote: false } : undefined;
}
