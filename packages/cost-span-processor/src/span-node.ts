import type { Baggage } from '@opentelemetry/api';
import type { CostScopes } from '@costtrace/pipeline';
import { picoToUsd } from '@costtrace/pricing';
import type { CallCost } from './price-call';
import type { CostSpan } from './types';

/** One trace's part in this process: its spans by id, until the last of them ends. */
export class TraceState {
  readonly nodes = new Map<string, SpanNode>();
  /** Spans of the trace still open. */
  open = 0;
  /** Sweep epoch of the last span start or end: a trace untouched for a whole epoch is idle. */
  epoch: number;
  constructor(
    readonly traceId: string,
    epoch: number,
  ) {
    this.epoch = epoch;
  }
}

/**
 * One recording span in the shared {@link SpanTree}. Written by the tree (links, kind, scopes),
 * the cost processor (totals below, `price`) and the budget processor (`gated`, `budgetScope`,
 * `budgetWarned`). Money is integer pico-USD: a safe-integer `pico` for speed, moved into
 * `bigPico` before a sum could pass 2^53 (about $9,007), so sums stay exact.
 */
export class SpanNode {
  /** The span while it is open; dropped when it ends (what children need later is kept below). */
  span: CostSpan | undefined;
  /** `classify-span` kind: classified at start, again while unknown (see `kindOf`). */
  kind: number;
  /** The span has ended (the cost processor finished it, or the tree ended it). */
  ended = false;
  /** Every processor is done with it (the tree's `end` ran). */
  released = false;
  /** The nearest ancestor that may own a model call and was open when this span started. */
  callOwner: SpanNode | undefined;
  /**
   * On another instrumentation's record of a call (a Vercel AI SDK `doGenerate`, an `@ai-sdk/otel`
   * `chat` span): costtrace's own call span nested in it, which owns the call instead (see `SpanTree.start`).
   */
  callTakenBy: SpanNode | undefined;
  /** Baggage of the span's parent context, when baggage keys are copied (cost processor). */
  baggage: Baggage | undefined;

  /** The call's price, as the cost processor computed it in `onEnding` (read by the budget processor). */
  price: CallCost | undefined;
  /** Budget processor: the span passed the call gate, or holds a span that did. */
  gated = false;
  /** Budget processor: the budget scope opened on this span, if any. */
  budgetScope: object | undefined;
  /** Budget processor: a bad budget attribute on this span was warned about. */
  budgetWarned = false;

  // Subtree totals: calls that ended under this span (itself included) while it was open.
  pico = 0;
  bigPico = 0n;
  llmCalls = 0;
  costedCalls = 0;
  unpricedCalls = 0;
  inputTokens = 0;
  outputTokens = 0;
  lateArrivals = 0;

  // Run totals: calls whose run is this span (for `costtrace.run.cost`).
  runCalls = 0;
  runCostedCalls = 0;
  runPico = 0;
  runBigPico = 0n;

  /** Kept when the span ends, for children that end after it. */
  agentName: string | undefined;
  runId: string | undefined;

  /** Usage of a nested duplicate, priced here when this span has none of its own. */
  adopted: AdoptedCall | undefined;

  constructor(
    span: CostSpan,
    readonly spanId: string,
    readonly traceId: string,
    readonly parent: SpanNode | undefined,
    readonly trace: TraceState,
    kind: number,
    readonly scopes: CostScopes,
  ) {
    this.span = span;
    this.kind = kind;
    this.callOwner = undefined;
    this.callTakenBy = undefined;
    this.baggage = undefined;
    this.price = undefined;
    this.budgetScope = undefined;
    this.agentName = undefined;
    this.runId = undefined;
    this.adopted = undefined;
  }
}

/** What a nested duplicate span knew about the call. */
export interface AdoptedCall {
  attributes: Readonly<Record<string, unknown>>;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Adds `pico` (a safe integer) and `big` (the rest) to a node's subtree cost. */
export function addSubtreeCost(node: SpanNode, pico: number, big: bigint): void {
  const sum = node.pico + pico;
  if (sum <= MAX_SAFE) node.pico = sum;
  else {
    node.bigPico += BigInt(node.pico) + BigInt(pico);
    node.pico = 0;
  }
  if (big !== 0n) node.bigPico += big;
}

/** Adds to a node's run cost. */
export function addRunCost(node: SpanNode, pico: number, big: bigint): void {
  const sum = node.runPico + pico;
  if (sum <= MAX_SAFE) node.runPico = sum;
  else {
    node.runBigPico += BigInt(node.runPico) + BigInt(pico);
    node.runPico = 0;
  }
  if (big !== 0n) node.runBigPico += big;
}

export function subtreeUsd(node: SpanNode): number {
  return node.bigPico === 0n ? node.pico / 1e12 : picoToUsd(node.bigPico + BigInt(node.pico));
}

export function runUsd(node: SpanNode): number {
  return node.runBigPico === 0n ? node.runPico / 1e12 : picoToUsd(node.runBigPico + BigInt(node.runPico));
}
