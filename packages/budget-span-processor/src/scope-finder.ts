import { diag, type Context } from '@opentelemetry/api';
import { describeValue, getScopes, type BudgetScope } from '@costtrace/pipeline';
import {
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_ON_EXCEED,
  ATTR_COSTTRACE_BUDGET_WARN_RATIO,
  ATTR_GEN_AI_OPERATION_NAME,
  BUDGET_ON_EXCEED_VALUE_ABORT,
  BUDGET_ON_EXCEED_VALUE_WARN,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
} from '@costtrace/semconv';
import { classifySpan, mayBeCall } from '@costtrace/cost-span-processor';
import { isRatio, isUsd, MAX_USD } from './money';
import type { ResolvedOptions } from './options';
import type { ScopeSpec, SpanEntry } from './internal-types';
import type { SpanRegistry } from './span-registry';
import type { WarnOnce } from './warn-once';

const MAX_DEPTH = 512;

/** A span's own budget, read from its attributes as they are now. */
export interface SpanBudget {
  limitUsd: number;
  warnRatio: number;
  onExceed: 'abort' | 'warn';
}

export function scopeKey(traceId: string, spanId: string): string {
  return `${traceId}-${spanId}`;
}

/**
 * Finds the budget scopes above a call, outermost first: every ancestor span
 * with `costtrace.budget.limit_usd` (read now, so a limit set after the span
 * started counts), the budgets carried in the Context by withRun/withAgent
 * (so a span the sampler did not record still has its budget), and the
 * default run budget on the call's run.
 */
export class ScopeFinder {
  constructor(
    private readonly _registry: SpanRegistry,
    private readonly _options: ResolvedOptions,
    private readonly _warn: WarnOnce,
  ) {}

  /** Scopes above the span `startId` (its parent chain), merged with the Context's by span id. */
  find(traceId: string, startId: string | undefined, ctx: Context | undefined): ScopeSpec[] {
    const scopes: ScopeSpec[] = [];
    let run: SpanEntry | undefined;
    let root: SpanEntry | undefined;
    let entry = this._registry.get(startId, traceId);
    for (let depth = 0; entry && depth < MAX_DEPTH; depth++) {
      const budget = this.budgetOf(entry);
      if (budget) scopes.push(specOf(entry, budget, false));
      if (!run && entry.span.attributes[ATTR_GEN_AI_OPERATION_NAME] === GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW) {
        run = entry;
      }
      root = entry;
      entry = this._registry.get(entry.parentId, traceId);
    }
    scopes.reverse();

    const carried = ctx ? getScopes(ctx) : undefined;
    if (carried) {
      for (const b of carried.budgets) {
        if (b.traceId !== traceId || scopes.some((s) => s.spanId === b.spanId)) continue;
        const spec = this._carriedSpec(b);
        if (spec) scopes.push(spec);
      }
    }

    const limit = this._options.defaultRunBudgetUsd;
    if (limit !== undefined) {
      const target = run ?? this._registry.get(carried?.run?.spanId, traceId) ?? root;
      const runId = target?.spanId ?? carried?.run?.spanId;
      if (runId !== undefined && !scopes.some((s) => s.spanId === runId)) {
        scopes.unshift({
          key: scopeKey(traceId, runId),
          traceId,
          spanId: runId,
          name: target?.span.name ?? carried?.run?.name ?? 'run',
          limitUsd: limit,
          warnRatio: this._options.warnRatio,
          onExceed: 'abort',
          span: target?.span,
          fromDefault: true,
        });
      }
    }
    return scopes;
  }

  /** Whether a span that may own a model call (see `mayBeCall`) is an ancestor of `startId`. */
  hasCallAncestor(traceId: string, startId: string | undefined): boolean {
    let entry = this._registry.get(startId, traceId);
    for (let depth = 0; entry && depth < MAX_DEPTH; depth++) {
      if (mayBeCall(classifySpan(entry.span.attributes, entry.span.name))) return true;
      entry = this._registry.get(entry.parentId, traceId);
    }
    return false;
  }

  /** The span's budget, or undefined; a bad value is ignored with one warning per span. */
  budgetOf(entry: SpanEntry): SpanBudget | undefined {
    const attrs = entry.span.attributes;
    const limit = attrs[ATTR_COSTTRACE_BUDGET_LIMIT_USD];
    if (limit === undefined) return undefined;
    if (!isUsd(limit)) {
      this._warnBad(entry, `${ATTR_COSTTRACE_BUDGET_LIMIT_USD}=${describeValue(limit)} is not a number in [0, ${MAX_USD}]; no budget is enforced on it`);
      return undefined;
    }
    const ratio = attrs[ATTR_COSTTRACE_BUDGET_WARN_RATIO];
    let warnRatio = this._options.warnRatio;
    if (isRatio(ratio)) warnRatio = ratio;
    else if (ratio !== undefined) {
      this._warnBad(entry, `${ATTR_COSTTRACE_BUDGET_WARN_RATIO}=${describeValue(ratio)} is not in (0, 1]; using ${warnRatio}`);
    }
    const mode = attrs[ATTR_COSTTRACE_BUDGET_ON_EXCEED];
    if (mode !== undefined && mode !== BUDGET_ON_EXCEED_VALUE_ABORT && mode !== BUDGET_ON_EXCEED_VALUE_WARN) {
      this._warnBad(entry, `${ATTR_COSTTRACE_BUDGET_ON_EXCEED}=${describeValue(mode)} is not abort or warn; using abort`);
    }
    return { limitUsd: limit, warnRatio, onExceed: mode === BUDGET_ON_EXCEED_VALUE_WARN ? 'warn' : 'abort' };
  }

  // A budget another copy of costtrace (or an older one) put in the Context is checked like an
  // attribute: a bad limit is ignored for that scope alone, never passed on to break the others.
  private _carriedSpec(b: BudgetScope): ScopeSpec | undefined {
    const key = scopeKey(b.traceId, b.spanId);
    if (!isUsd(b.limitUsd)) {
      this._warn.once(
        `bad-carried:${key}`,
        `budget "${b.name}" carries limit ${describeValue(b.limitUsd)}, not a number in [0, ${MAX_USD}]; no budget is enforced on it`,
      );
      return undefined;
    }
    let warnRatio = this._options.warnRatio;
    if (isRatio(b.warnRatio)) warnRatio = b.warnRatio;
    else if (b.warnRatio !== undefined) {
      this._warn.once(`bad-carried-ratio:${key}`, `budget "${b.name}" carries warn ratio ${describeValue(b.warnRatio)}, not in (0, 1]; using ${warnRatio}`);
    }
    const mode: unknown = b.onExceed;
    if (mode !== undefined && mode !== BUDGET_ON_EXCEED_VALUE_ABORT && mode !== BUDGET_ON_EXCEED_VALUE_WARN) {
      this._warn.once(`bad-carried-mode:${key}`, `budget "${b.name}" carries on_exceed ${describeValue(mode)}, not abort or warn; using abort`);
    }
    const live = this._registry.get(b.spanId, b.traceId);
    return {
      key,
      traceId: b.traceId,
      spanId: b.spanId,
      name: live?.span.name ?? b.name,
      limitUsd: b.limitUsd,
      warnRatio,
      onExceed: mode === BUDGET_ON_EXCEED_VALUE_WARN ? 'warn' : 'abort',
      span: live?.span,
      fromDefault: false,
    };
  }

  private _warnBad(entry: SpanEntry, message: string): void {
    if (entry.badValueWarned) return;
    entry.badValueWarned = true;
    diag.warn(`BudgetSpanProcessor: span "${entry.span.name}": ${message}`);
  }
}

function specOf(entry: SpanEntry, budget: SpanBudget, fromDefault: boolean): ScopeSpec {
  return {
    key: scopeKey(entry.traceId, entry.spanId),
    traceId: entry.traceId,
    spanId: entry.spanId,
    name: entry.span.name,
    limitUsd: budget.limitUsd,
    warnRatio: budget.warnRatio,
    onExceed: budget.onExceed,
    span: entry.span,
    fromDefault,
  };
}
