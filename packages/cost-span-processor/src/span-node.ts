import type { Baggage } from '@opentelemetry/api';
import type { CostScopes } from '@costtrace/pipeline';
import { picoToUsd } from '@costtrace/pricing';
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
 * Cost state of one recording span. Money is integer pico-USD: a safe-integer `pico` for speed,
 * moved into `bigPico` before a sum could pass 2^53 (about $9,007), so sums stay exact.
 */
export class SpanNode {
  /** The span while it is open; dropped when it ends (what children need later is kept below). */
  span: CostSpan | undefined;
  kind: number;
  ended = false;
  /** The nearest ancestor that may own a model call and was open when this span started. */
  callOwner: SpanNode | undefined;

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
    readonly baggage: Baggage | undefined,
  ) {
    this.span = span;
    this.kind = kind;
    this.callOwner = undefined;
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
