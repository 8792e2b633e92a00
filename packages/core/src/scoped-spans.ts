import {
  context as otelContext,
  diag,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_ON_EXCEED,
  ATTR_COSTTRACE_BUDGET_WARN_RATIO,
  ATTR_COSTTRACE_RUN_ID,
  ATTR_COSTTRACE_RUN_NAME,
  ATTR_COSTTRACE_STEP_NAME,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
} from '@costtrace/semconv';
import {
  describeValue,
  errorType,
  getScopes,
  isUsdAmount,
  isWarnRatio,
  MAX_USD,
  setScopes,
  type BudgetScope,
  type CostScopes,
} from '@costtrace/pipeline';
import { withRunBaggage, writeRunTotal } from './run-propagation';

/** A budget over a span's subtree. */
export interface BudgetOptions {
  /** Hard limit in USD (`costtrace.budget.limit_usd`). `0` refuses every priced call; a value that is not a number in [0, 1e12] is ignored with one warning. */
  budgetUsd?: number;
  /** Soft limit as a share of the hard one (`costtrace.budget.warn_ratio`). @default 0.8 (applied by the budget processor) */
  warnRatio?: number;
  /** `abort` stops the scope's calls at the limit; `warn` only records. @default 'abort' */
  onExceed?: 'abort' | 'warn';
}

export interface RunOptions extends BudgetOptions {
  /** `costtrace.run.id`. @default `{traceId}-{spanId}` of the run span */
  runId?: string;
  /** More attributes for the run span. */
  attributes?: Attributes;
  /** @default trace.getTracer('@costtrace/core') */
  tracer?: Tracer;
}

export interface AgentOptions extends BudgetOptions {
  /** `gen_ai.agent.id`. */
  agentId?: string;
  attributes?: Attributes;
  tracer?: Tracer;
}

export interface StepOptions {
  attributes?: Attributes;
  tracer?: Tracer;
}

const TRACER_NAME = '@costtrace/core';

/**
 * Runs `fn` in a run span (`invoke_workflow {name}`): the scope that run-level
 * cost and a run budget cover. The span ends when `fn` (or its promise)
 * settles; an error is recorded and rethrown.
 */
export function withRun<T>(name: string, fn: (span: Span) => T): T;
export function withRun<T>(name: string, options: RunOptions, fn: (span: Span) => T): T;
export function withRun<T>(name: string, a: RunOptions | ((span: Span) => T), b?: (span: Span) => T): T {
  const [options, fn] = typeof a === 'function' ? [{}, a] : [a, b!];
  let runId = '';
  return inSpan(
    `${GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW} ${name}`,
    options,
    fn,
    (span, scopes) => {
      const { traceId, spanId } = span.spanContext();
      runId = options.runId ?? `${traceId}-${spanId}`;
      span.setAttributes({
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
        [ATTR_COSTTRACE_RUN_NAME]: name,
        [ATTR_COSTTRACE_RUN_ID]: runId,
      });
      return { ...scopes, run: { runId, name, traceId, spanId }, agent: undefined };
    },
    // A run with a budget carries it in baggage to the services it calls, and its span shows their spend too.
    { context: (ctx, budget) => withRunBaggage(ctx, runId, name, budget), beforeEnd: writeRunTotal },
  );
}

/** Runs `fn` in an agent span (`invoke_agent {name}`), optionally with the agent's own budget. */
export function withAgent<T>(name: string, fn: (span: Span) => T): T;
export function withAgent<T>(name: string, options: AgentOptions, fn: (span: Span) => T): T;
export function withAgent<T>(name: string, a: AgentOptions | ((span: Span) => T), b?: (span: Span) => T): T {
  const [options, fn] = typeof a === 'function' ? [{}, a] : [a, b!];
  return inSpan(`${GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT} ${name}`, options, fn, (span, scopes) => {
    const { traceId, spanId } = span.spanContext();
    span.setAttributes({
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
      [ATTR_GEN_AI_AGENT_NAME]: name,
      ...(options.agentId === undefined ? {} : { [ATTR_GEN_AI_AGENT_ID]: options.agentId }),
    });
    return { ...scopes, agent: { name, id: options.agentId, traceId, spanId } };
  });
}

/** Runs `fn` in a step span named `name` (a tool call, a pipeline stage). */
export function withStep<T>(name: string, fn: (span: Span) => T): T;
export function withStep<T>(name: string, options: StepOptions, fn: (span: Span) => T): T;
export function withStep<T>(name: string, a: StepOptions | ((span: Span) => T), b?: (span: Span) => T): T {
  const [options, fn] = typeof a === 'function' ? [{}, a] : [a, b!];
  return inSpan(name, options, fn, (span, scopes) => {
    span.setAttribute(ATTR_COSTTRACE_STEP_NAME, name);
    return scopes;
  });
}

function inSpan<T>(
  spanName: string,
  options: (BudgetOptions & { attributes?: Attributes; tracer?: Tracer }) | StepOptions,
  fn: (span: Span) => T,
  describe: (span: Span, scopes: CostScopes) => CostScopes,
  budgeted?: {
    /** The Context of a span with a budget. */
    context(ctx: Context, budget: BudgetScope): Context;
    /** Runs before the span of a budget ends, when `fn` returned a promise. */
    beforeEnd(span: Span): Promise<void>;
  },
): T {
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  const parent = otelContext.active();
  const span = tracer.startSpan(spanName, options.attributes ? { attributes: options.attributes } : {}, parent);
  let scopes = describe(span, getScopes(parent));
  const budget = budgetOf(span, spanName, options as BudgetOptions);
  if (budget) scopes = { ...scopes, budgets: [...scopes.budgets, budget] };
  let ctx = setScopes(trace.setSpan(parent, span), scopes);
  if (budget && budgeted) ctx = budgeted.context(ctx, budget);
  const end = budget && budgeted ? () => budgeted.beforeEnd(span).then(() => span.end()) : () => Promise.resolve(span.end());

  let result: T;
  try {
    result = otelContext.with(ctx, fn, undefined, span);
  } catch (err) {
    fail(span, err);
    span.end();
    throw err;
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(
      (value) => end().then(() => value),
      (err: unknown) => {
        fail(span, err);
        return end().then(() => {
          throw err;
        });
      },
    ) as T;
  }
  span.end();
  return result;
}

function budgetOf(span: Span, name: string, options: BudgetOptions): BudgetScope | undefined {
  const { budgetUsd, warnRatio, onExceed } = options;
  if (budgetUsd === undefined) return undefined;
  if (!isUsdAmount(budgetUsd)) {
    diag.warn(`costtrace: budgetUsd ${describeValue(budgetUsd)} on "${name}" is not a number in [0, ${MAX_USD}]; no budget is set on it`);
    return undefined;
  }
  const ratio = isWarnRatio(warnRatio) ? warnRatio : undefined;
  if (warnRatio !== undefined && ratio === undefined) {
    diag.warn(`costtrace: warnRatio ${describeValue(warnRatio)} on "${name}" is not in (0, 1]; the default applies`);
  }
  const mode = onExceed === 'warn' || onExceed === 'abort' ? onExceed : undefined;
  if (onExceed !== undefined && mode === undefined) {
    diag.warn(`costtrace: onExceed ${describeValue(onExceed)} on "${name}" is not abort or warn; abort applies`);
  }
  span.setAttribute(ATTR_COSTTRACE_BUDGET_LIMIT_USD, budgetUsd);
  if (ratio !== undefined) span.setAttribute(ATTR_COSTTRACE_BUDGET_WARN_RATIO, ratio);
  if (mode !== undefined) span.setAttribute(ATTR_COSTTRACE_BUDGET_ON_EXCEED, mode);
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId, name, limitUsd: budgetUsd, warnRatio: ratio, onExceed: mode };
}

function fail(span: Span, err: unknown): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
