import { diag } from '@opentelemetry/api';
import { TraceState, type SpanNode } from './span-node';

/**
 * Cost state by trace id, bounded.
 *
 * - A trace's state goes when its last open span ends (normally its local root).
 * - Idle traces (a span that never ends): a sweep runs at most once per TTL, when a new trace
 *   starts, and drops every trace that no span started or ended in since the previous sweep, so
 *   a trace goes between one and two TTLs after its last activity. No clock is read per span.
 * - Size: past `maxTrackedSpans` held spans the oldest trace is dropped; when the only trace is
 *   the one growing, its new spans go untracked (still priced and counted in metrics).
 *
 * Every drop is counted on `costtrace.spans.dropped_state` (open spans lost) and warned about once.
 */
export class TraceStore {
  private readonly _traces = new Map<string, TraceState>();
  private _tracked = 0;
  private _epoch = 0;
  private _nextSweep: number;
  private _warned = false;

  constructor(
    private readonly _ttlMs: number,
    private readonly _maxSpans: number,
    private readonly _onDrop: (openSpans: number) => void,
  ) {
    this._nextSweep = Date.now() + _ttlMs;
  }

  get epoch(): number {
    return this._epoch;
  }

  /** Spans held now (open ones and ended ones of traces still open). */
  get trackedSpans(): number {
    return this._tracked;
  }

  get traceCount(): number {
    return this._traces.size;
  }

  get(traceId: string): TraceState | undefined {
    return this._traces.get(traceId);
  }

  node(traceId: string, spanId: string): SpanNode | undefined {
    return this._traces.get(traceId)?.nodes.get(spanId);
  }

  /** The trace's state, made on its first span. */
  getOrCreate(traceId: string): TraceState {
    let trace = this._traces.get(traceId);
    if (trace === undefined) {
      const now = Date.now();
      if (now >= this._nextSweep) this._sweep(now);
      trace = new TraceState(traceId, this._epoch);
      this._traces.set(traceId, trace);
    }
    return trace;
  }

  /** Room for one more span of `trace`: false (and counted) when there is none. */
  admit(trace: TraceState): boolean {
    if (this._tracked < this._maxSpans) {
      this._tracked += 1;
      return true;
    }
    for (const other of this._traces.values()) {
      if (other === trace) continue;
      this._drop(other, `more than ${this._maxSpans} spans were held (maxTrackedSpans)`);
      if (this._tracked < this._maxSpans) {
        this._tracked += 1;
        return true;
      }
    }
    this._warnOnce(`more than ${this._maxSpans} spans were held (maxTrackedSpans)`);
    this._onDrop(1);
    return false;
  }

  /** Marks the trace active in the current sweep epoch. */
  touch(trace: TraceState): void {
    trace.epoch = this._epoch;
  }

  /** Drops a trace whose last open span has ended. */
  release(trace: TraceState): void {
    if (this._traces.get(trace.traceId) !== trace) return;
    this._traces.delete(trace.traceId);
    this._tracked -= trace.nodes.size;
  }

  clear(): void {
    this._traces.clear();
    this._tracked = 0;
  }

  private _sweep(now: number): void {
    for (const trace of this._traces.values()) {
      if (trace.epoch < this._epoch) this._drop(trace, `a trace had no span start or end for over ${this._ttlMs} ms (stateTtlMs)`);
    }
    this._epoch += 1;
    this._nextSweep = now + this._ttlMs;
  }

  private _drop(trace: TraceState, why: string): void {
    this._traces.delete(trace.traceId);
    this._tracked -= trace.nodes.size;
    this._onDrop(trace.open);
    this._warnOnce(why);
  }

  private _warnOnce(why: string): void {
    if (this._warned) return;
    this._warned = true;
    diag.warn(
      `CostSpanProcessor: dropped cost state because ${why}; the subtree totals of the spans concerned ` +
        'are incomplete (their calls are still priced and counted in metrics). Warned once.',
    );
  }
}
