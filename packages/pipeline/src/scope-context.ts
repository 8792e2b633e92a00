import type { Context } from '@opentelemetry/api';

/** The run a span belongs to. */
export interface RunScope {
  /** `costtrace.run.id`: user-provided, else `{traceId}-{spanId}` of the run span. */
  readonly runId: string;
  readonly name: string | undefined;
  readonly traceId: string;
  readonly spanId: string;
}

/** The agent a span belongs to. */
export interface AgentScope {
  readonly name: string;
  readonly id: string | undefined;
  readonly traceId: string;
  readonly spanId: string;
}

/** A budget opened by `withRun`/`withAgent` (or any span carrying `costtrace.budget.limit_usd`). */
export interface BudgetScope {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly limitUsd: number;
  readonly warnRatio: number | undefined;
  readonly onExceed: 'abort' | 'warn' | undefined;
}

/**
 * Run, agent and budgets as they travel in the OTel Context, so they survive
 * spans that are not recording (a sampler that drops them, a span from an
 * instrumentation with no SDK behind it).
 */
export interface CostScopes {
  readonly run: RunScope | undefined;
  readonly agent: AgentScope | undefined;
  /** Outermost first. */
  readonly budgets: readonly BudgetScope[];
}

// A context key is compared by identity; Symbol.for gives the ESM and CommonJS
// copies of this package the same key.
const SHARED_KEY = Symbol.for('costtrace.scopes');

export const EMPTY_SCOPES: CostScopes = Object.freeze({ run: undefined, agent: undefined, budgets: Object.freeze([]) });

/** The scopes carried by `ctx`, or the empty scopes. */
export function getScopes(ctx: Context): CostScopes {
  return (ctx.getValue(SHARED_KEY) as CostScopes | undefined) ?? EMPTY_SCOPES;
}

/** `ctx` with `scopes` set. */
export function setScopes(ctx: Context, scopes: CostScopes): Context {
  return ctx.setValue(SHARED_KEY, scopes);
}
