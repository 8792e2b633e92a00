import type { Context, SpanContext } from '@opentelemetry/api';
import { getScopes } from '@costtrace/pipeline';
import { classifySpan, isOwnSpan, KIND_UNKNOWN, mayBeCall } from './classify-span';
import { SpanNode, TraceState } from './span-node';
import type { CostSpan } from './types';

/** Why the tree dropped state: a trace idle past the TTL, or the span bound reached. */
export type DropReason = 'ttl' | 'size';

/** Told of every drop: how many open spans were lost, and why. */
export type DropListener = (openSpans: number, reason: DropReason, limit: number) => void;

/** Options of {@link SpanTree}. */
export interface SpanTreeOptions {
  /** A trace with no span start or end for this long is dropped (a span that never ends). */
  ttlMs: number;
  /** Most spans held at once, over all traces. */
  maxSpans: number;
}

/**
 * The one span tree of a pipeline: a {@link SpanNode} per recording span of this process, grouped
 * by trace, with its parent link, its kind (classified once), the costtrace scopes its Context
 * carried, and what each processor keeps about it. Built once and handed to both processors by
 * `createCostProcessors` (a processor constructed alone builds its own): the cost processor rolls
 * cost up its parent links, the budget processor walks them to find the budget scopes above a call.
 *
 * Who writes: the first processor of the chain calls {@link start} in `onStart`; the last one
 * calls {@link end} when it is done with the span (so every processor finds the node in its own
 * end hooks). Everyone else only reads and sets its own fields on nodes.
 *
 * Bounds, one story for both processors:
 * - A trace's state goes when its last open span ends (normally its local root).
 * - Idle traces (a span that never ends): a sweep runs at most once per TTL, when a new trace
 *   starts, and drops every trace that no span started or ended in (and no call was gated in)
 *   since the previous sweep, so a trace goes between one and two TTLs after its last activity.
 *   No clock is read per span.
 * - Size: past `maxSpans` held spans the oldest trace is dropped; when the only trace is the one
 *   growing, its new spans go untracked (still priced, counted in metrics, gated by their parent).
 * Every drop is reported to the drop listeners (the processor that starts spans counts and warns).
 */
export class SpanTree {
  private readonly _traces = new Map<string, TraceState>();
  private readonly _dropListeners: DropListener[] = [];
  private readonly _sweepListeners: Array<(now: number) => void> = [];
  private readonly _ttlMs: number;
  private readonly _maxSpans: number;
  private _tracked = 0;
  private _epoch = 0;
  private _nextSweep: number;

  constructor(options: SpanTreeOptions) {
    this._ttlMs = options.ttlMs;
    this._maxSpans = options.maxSpans;
    this._nextSweep = Date.now() + options.ttlMs;
  }

  get ttlMs(): number {
    return this._ttlMs;
  }

  get maxSpans(): number {
    return this._maxSpans;
  }

  /** Spans held now (open ones and ended ones of traces still open). */
  get trackedSpans(): number {
    return this._tracked;
  }

  get traceCount(): number {
    return this._traces.size;
  }

  /** Calls `listener` on every drop. */
  onDrop(listener: DropListener): void {
    this._dropListeners.push(listener);
  }

  /** Calls `listener` after each TTL sweep (at most once per TTL), with the time read for it. */
  onSweep(listener: (now: number) => void): void {
    this._sweepListeners.push(listener);
  }

  /** The node of a span held in the tree, open or ended. */
  node(traceId: string, spanId: string | undefined): SpanNode | undefined {
    if (spanId === undefined) return undefined;
    return this._traces.get(traceId)?.nodes.get(spanId);
  }

  /** The node of a span that is open now (an ended span's node reads as absent). */
  openNode(traceId: string, spanId: string | undefined): SpanNode | undefined {
    const node = this.node(traceId, spanId);
    return node !== undefined && !node.ended ? node : undefined;
  }

  /** Adds a started span; undefined when the bound leaves no room for it. */
  start(span: CostSpan, parentContext: Context): SpanNode | undefined {
    const sc = span.spanContext();
    const trace = this._traceOf(sc.traceId);
    if (!this._admit(trace)) return undefined;
    const scopes = getScopes(parentContext);
    const psc = span.parentSpanContext ?? legacyParent(span);
    let parent: SpanNode | undefined;
    if (psc !== undefined && psc.isRemote !== true) {
      parent = trace.nodes.get(psc.spanId);
      if (parent === undefined) {
        // The parent is not recording (a sampler dropped it): hang the span under the innermost
        // run or agent the context carries, when that one is recorded.
        const scope = scopes.agent ?? scopes.run;
        if (scope !== undefined && scope.traceId === sc.traceId) parent = trace.nodes.get(scope.spanId);
      }
    }
    const node = new SpanNode(span, sc.spanId, sc.traceId, parent, trace, classifySpan(span.attributes, span.name), scopes);
    if (parent !== undefined) {
      const owner = parent.callOwner;
      node.callOwner = !parent.ended && mayBeCall(kindOf(parent)) ? parent : owner !== undefined && !owner.ended ? owner : undefined;
      if (node.callOwner !== undefined && mayBeCall(node.kind) && isOwnSpan(span)) takeCall(node, node.callOwner);
    }
    trace.nodes.set(sc.spanId, node);
    trace.open += 1;
    trace.epoch = this._epoch;
    return node;
  }

  /** The span is done with (every processor has seen it end): the trace goes when it was its last open span. */
  end(node: SpanNode): void {
    if (node.released) return;
    node.released = true;
    node.ended = true;
    node.span = undefined;
    const trace = node.trace;
    trace.epoch = this._epoch;
    trace.open -= 1;
    if (trace.open === 0 && this._traces.get(trace.traceId) === trace) {
      this._traces.delete(trace.traceId);
      this._tracked -= trace.nodes.size;
    }
  }

  /** Marks the node's trace active now (a call gated under it), so the TTL sweep keeps it. */
  touch(node: SpanNode): void {
    node.trace.epoch = this._epoch;
  }

  clear(): void {
    this._traces.clear();
    this._tracked = 0;
  }

  private _traceOf(traceId: string): TraceState {
    let trace = this._traces.get(traceId);
    if (trace === undefined) {
      const now = Date.now();
      if (now >= this._nextSweep) this._sweep(now);
      trace = new TraceState(traceId, this._epoch);
      this._traces.set(traceId, trace);
    }
    return trace;
  }

  private _admit(trace: TraceState): boolean {
    if (this._tracked < this._maxSpans) {
      this._tracked += 1;
      return true;
    }
    for (const other of this._traces.values()) {
      if (other === trace) continue;
      this._drop(other, 'size');
      if (this._tracked < this._maxSpans) {
        this._tracked += 1;
        return true;
      }
    }
    this._report(1, 'size');
    return false;
  }

  private _sweep(now: number): void {
    for (const trace of this._traces.values()) {
      if (trace.epoch < this._epoch) this._drop(trace, 'ttl');
    }
    this._epoch += 1;
    this._nextSweep = now + this._ttlMs;
    for (const listener of this._sweepListeners) listener(now);
  }

  private _drop(trace: TraceState, reason: DropReason): void {
    this._traces.delete(trace.traceId);
    this._tracked -= trace.nodes.size;
    this._report(trace.open, reason);
  }

  private _report(openSpans: number, reason: DropReason): void {
    const limit = reason === 'ttl' ? this._ttlMs : this._maxSpans;
    for (const listener of this._dropListeners) listener(openSpans, reason, limit);
  }
}

/**
 * costtrace's own call span started inside another instrumentation's record of the same call (the
 * Vercel AI SDK's `doGenerate`/`doStream` step, `@ai-sdk/otel`'s `chat` span, an OpenInference `LLM`
 * span around the wire-level `fetch` span): the outermost of those foreign spans would own the call,
 * but ours is the exact, gated record, so it takes the call and the foreign one becomes its duplicate.
 * Under an own span further out (an SDK-level span), the outermost own span keeps the call.
 */
function takeCall(node: SpanNode, owner: SpanNode): void {
  let top = owner;
  for (let depth = 0; depth < 512; depth++) {
    if (top.span === undefined || isOwnSpan(top.span)) return;
    const up = top.callOwner;
    if (up === undefined || up.ended) break;
    top = up;
  }
  top.callTakenBy = node;
  node.callOwner = undefined;
}

/**
 * The span a call-like span is a duplicate of, with the reason written on it, or undefined when
 * the span owns its call: an enclosing call span (the outermost owns), or costtrace's own call
 * span nested in it (see `takeCall`).
 */
export function duplicateOf(node: SpanNode): { owner: SpanNode; reason: string } | undefined {
  if (node.callOwner !== undefined) {
    return { owner: node.callOwner, reason: `counted on the enclosing model-call span ${node.callOwner.spanId}` };
  }
  const taken = node.callTakenBy;
  if (taken === undefined) return undefined;
  return { owner: taken, reason: `counted on costtrace's own model-call span ${taken.spanId} inside it` };
}

/** The node's kind, classified again while it is unknown (withRun/withAgent set their operation just after start). */
export function kindOf(node: SpanNode): number {
  if (node.kind === KIND_UNKNOWN && node.span !== undefined) node.kind = classifySpan(node.span.attributes, node.span.name);
  return node.kind;
}

// sdk-trace-base 1.x had `parentSpanId` instead of `parentSpanContext`.
function legacyParent(span: CostSpan): Pick<SpanContext, 'spanId' | 'isRemote'> | undefined {
  const id = (span as { parentSpanId?: unknown }).parentSpanId;
  return typeof id === 'string' ? { spanId: id, isRemote: false } : undefined;
}
