import { usdToPico } from '@costtrace/pricing';
import {
  ATTR_COSTTRACE_BUDGET_ABORTED_CALLS,
  ATTR_COSTTRACE_BUDGET_EXCEEDED,
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_REFUSED_CALLS,
  ATTR_COSTTRACE_BUDGET_SCOPE,
  ATTR_COSTTRACE_BUDGET_SPENT_USD,
  ATTR_COSTTRACE_CALL_OUTCOME,
  ATTR_COSTTRACE_PRICING_REASON,
  ATTR_COSTTRACE_PRICING_STATUS,
  ATTR_COSTTRACE_RUN_ID,
  ATTR_COSTTRACE_RUN_NAME,
  ATTR_COSTTRACE_STEP_NAME,
  ATTR_COSTTRACE_SUBTREE_COST_USD,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  CALL_OUTCOME_VALUE_BUDGET_ABORTED,
  CALL_OUTCOME_VALUE_BUDGET_REFUSED,
  EVENT_COSTTRACE_BUDGET_EXCEEDED,
  EVENT_COSTTRACE_BUDGET_WARNING,
  PRICING_STATUS_VALUE_DUPLICATE,
  PRICING_STATUS_VALUE_ESTIMATED,
  PRICING_STATUS_VALUE_PRICED,
  readUsage,
} from '@costtrace/semconv';
import type { TokenUsage } from '@costtrace/semconv';
import type { AttrValue, SpanRecord } from './span-record';

export const NO_AGENT = '(no agent)';
export const NO_STEP = '(no step)';

/** One model call as the report counts it. */
export interface CallRecord {
  traceId: string;
  spanId: string;
  runId: string;
  agent: string;
  step: string;
  model: string;
  provider: string | undefined;
  startTimeUnixNano: bigint;
  /** The recorded `gen_ai.usage.cost.amount` in pico-USD; 0 when the call has none. */
  costPico: bigint;
  /** True when the call carries a cost (`priced` or `estimated`). */
  priced: boolean;
  status: string;
  reason: string | undefined;
  usage: TokenUsage | undefined;
  outcome: string | undefined;
  budgetScope: string | undefined;
}

/** A span that carried a budget. */
export interface BudgetRecord {
  traceId: string;
  spanId: string;
  scope: string;
  runId: string;
  agent: string | undefined;
  limitUsd: number;
  spentUsd: number;
  exceeded: boolean;
  warned: boolean;
  abortedCalls: number;
  refusedCalls: number;
  startTimeUnixNano: bigint;
}

/** A run's span (`invoke_workflow`), for its name. */
export interface RunInfo {
  runId: string;
  name: string | undefined;
  traceId: string;
  spanId: string | undefined;
}

export interface ReadCalls {
  calls: CallRecord[];
  /** Calls stopped by a budget before they were sent (`budget_refused`): no cost, not counted in `calls`. */
  refused: CallRecord[];
  budgets: BudgetRecord[];
  runs: Map<string, RunInfo>;
}

const str = (v: AttrValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: AttrValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Finds the model calls, budgets and runs among spans (any order, any number of traces). */
export function readCalls(spans: readonly SpanRecord[]): ReadCalls {
  const byId = new Map<string, SpanRecord>();
  for (const span of spans) byId.set(`${span.traceId}/${span.spanId}`, span);
  const parentOf = (span: SpanRecord) => (span.parentSpanId === undefined ? undefined : byId.get(`${span.traceId}/${span.parentSpanId}`));
  const nearest = (span: SpanRecord, read: (s: SpanRecord) => string | undefined): string | undefined => {
    let hops = 0;
    for (let s: SpanRecord | undefined = span; s !== undefined && hops < 1000; s = parentOf(s), hops++) {
      const v = read(s);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const runIdOf = (span: SpanRecord) => nearest(span, (s) => str(s.attributes[ATTR_COSTTRACE_RUN_ID])) ?? span.traceId;

  const calls: CallRecord[] = [];
  const refused: CallRecord[] = [];
  const budgets: BudgetRecord[] = [];
  const runs = new Map<string, RunInfo>();
  for (const span of spans) {
    const a = span.attributes;
    const status = str(a[ATTR_COSTTRACE_PRICING_STATUS]);
    const outcome = str(a[ATTR_COSTTRACE_CALL_OUTCOME]);
    const isCall = status !== undefined && status !== PRICING_STATUS_VALUE_DUPLICATE;
    if (isCall || (status === undefined && outcome === CALL_OUTCOME_VALUE_BUDGET_REFUSED)) {
      const amount = num(a[ATTR_GEN_AI_USAGE_COST_AMOUNT]);
      const priced = (status === PRICING_STATUS_VALUE_PRICED || status === PRICING_STATUS_VALUE_ESTIMATED) && amount !== undefined;
      const call: CallRecord = {
        traceId: span.traceId,
        spanId: span.spanId,
        runId: runIdOf(span),
        agent: str(a[ATTR_GEN_AI_AGENT_NAME]) ?? nearest(span, (s) => str(s.attributes[ATTR_GEN_AI_AGENT_NAME])) ?? NO_AGENT,
        step: nearest(span, (s) => str(s.attributes[ATTR_COSTTRACE_STEP_NAME]) ?? (s === span ? undefined : str(s.attributes[ATTR_GEN_AI_TOOL_NAME]))) ?? NO_STEP,
        model: str(a[ATTR_GEN_AI_RESPONSE_MODEL]) ?? str(a[ATTR_GEN_AI_REQUEST_MODEL]) ?? '(unknown model)',
        provider: str(a[ATTR_GEN_AI_PROVIDER_NAME]),
        startTimeUnixNano: span.startTimeUnixNano,
        costPico: priced ? (usdToPico(amount) ?? 0n) : 0n,
        priced,
        status: status ?? outcome ?? '',
        reason: str(a[ATTR_COSTTRACE_PRICING_REASON]),
        usage: readUsage(a),
        outcome,
        budgetScope: str(a[ATTR_COSTTRACE_BUDGET_SCOPE]),
      };
      (isCall ? calls : refused).push(call);
    }
    const limit = num(a[ATTR_COSTTRACE_BUDGET_LIMIT_USD]);
    if (limit !== undefined) {
      const exceededEvent = span.events.find((e) => e.name === EVENT_COSTTRACE_BUDGET_EXCEEDED);
      const anyEvent = exceededEvent ?? span.events.find((e) => e.name === EVENT_COSTTRACE_BUDGET_WARNING);
      budgets.push({
        traceId: span.traceId,
        spanId: span.spanId,
        scope: str(anyEvent?.attributes[ATTR_COSTTRACE_BUDGET_SCOPE]) ?? span.name,
        runId: runIdOf(span),
        agent: str(a[ATTR_GEN_AI_AGENT_NAME]),
        limitUsd: limit,
        spentUsd: num(a[ATTR_COSTTRACE_BUDGET_SPENT_USD]) ?? num(a[ATTR_COSTTRACE_SUBTREE_COST_USD]) ?? 0,
        exceeded: a[ATTR_COSTTRACE_BUDGET_EXCEEDED] === true || exceededEvent !== undefined,
        warned: span.events.some((e) => e.name === EVENT_COSTTRACE_BUDGET_WARNING),
        abortedCalls: num(a[ATTR_COSTTRACE_BUDGET_ABORTED_CALLS]) ?? 0,
        refusedCalls: num(a[ATTR_COSTTRACE_BUDGET_REFUSED_CALLS]) ?? 0,
        startTimeUnixNano: span.startTimeUnixNano,
      });
    }
    const runName = str(a[ATTR_COSTTRACE_RUN_NAME]);
    const ownRunId = str(a[ATTR_COSTTRACE_RUN_ID]);
    if (runName !== undefined && ownRunId !== undefined && !runs.has(ownRunId)) {
      runs.set(ownRunId, { runId: ownRunId, name: runName, traceId: span.traceId, spanId: span.spanId });
    }
  }
  return { calls, refused, budgets, runs };
}

/** True for a call a budget stopped in flight. */
export const isAborted = (call: CallRecord): boolean => call.outcome === CALL_OUTCOME_VALUE_BUDGET_ABORTED;
