import { diag, type Context } from '@opentelemetry/api';
import { describeValue, getScopes, type BudgetScope, type GateCall } from '@costtrace/pipeline';
import {
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_ON_EXCEED,
  ATTR_COSTTRACE_BUDGET_WARN_RATIO,
  BUDGET_ON_EXCEED_VALUE_ABORT,
  BUDGET_ON_EXCEED_VALUE_WARN,
} from '@costtrace/semconv';
import { KIND_WORKFLOW, kindOf, mayBeCall, type SpanNode, type SpanTree } from '@costtrace/cost-span-processor';
import { isRatio, isUsd, MAX_USD } from './money';
import type { ResolvedOptions } from './options';
import type { ScopeSpec } from './internal-types';
import { remoteRunSpec } from './remote-run';
import { StandingScopes } from './standing-scopes';
import type { ProcessorReadableSpan, ProcessorSpan } from './types';
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
 * Finds the budget scopes above a call, outermost first, by walking the shared span tree's parent
 * links from the call's parent up to the first span that has ended: every open ancestor with
 * `costtrace.budget.limit_usd` (read now, so a limit set after the span started counts), the
 * budgets carried in the Context by withRun/withAgent (so a span the sampler did not record still
 * has its budget), and the default run budget on the call's run.
 */
export class ScopeFinder {
  private readonly _standing: StandingScopes;

  constructor(
    private readonly _tree: SpanTree,
    private readonly _options: ResolvedOptions,
    private readonly _warn: WarnOnce,
  ) {
    this._standing = new StandingScopes(_options.standingBudgets, _options.store, _options.now);
  }

  /**
   * Scopes above `start` (it and its open ancestors), merged with the Context's by span id; with
   * the call being admitted, also the run budget its baggage carries from another service and the
   * standing budgets over it (these last, after the span scopes).
   */
  find(traceId: string, start: SpanNode | undefined, ctx: Context | undefined, call?: GateCall): ScopeSpec[] {
    const scopes: ScopeSpec[] = [];
    let run: SpanNode | undefined;
    let root: SpanNode | undefined;
    let node = start;
    for (let depth = 0; node !== undefined && node.span !== undefined && !node.ended && depth < MAX_DEPTH; depth++) {
      const span = node.span as unknown as ProcessorSpan;
      const budget = this.budgetOf(span, node);
      if (budget) scopes.push(specOf(node, span, budget, false));
      if (run === undefined && (kindOf(node) & KIND_WORKFLOW) !== 0) run = node;
      root = node;
      node = node.parent;
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

    if (call !== undefined) {
      const remote = remoteRunSpec(call.parentContext, this._tree, this._options.warnRatio, this._warn);
      if (remote && !scopes.some((s) => s.key === remote.key)) scopes.unshift(remote);
    }

    const limit = this._options.defaultRunBudgetUsd;
    if (limit !== undefined) {
      const target = run ?? this._tree.openNode(traceId, carried?.run?.spanId) ?? root;
      const runId = target?.spanId ?? carried?.run?.spanId;
      if (runId !== undefined && !scopes.some((s) => s.spanId === runId)) {
        const span = target?.span as ProcessorSpan | undefined;
        scopes.unshift({
          key: scopeKey(traceId, runId),
          traceId,
          spanId: runId,
          name: span?.name ?? carried?.run?.name ?? 'run',
          limitUsd: limit,
          warnRatio: this._options.warnRatio,
          onExceed: 'abort',
          span,
          fromDefault: true,
        });
      }
    }
    if (call !== undefined && this._standing.size > 0) scopes.push(...this._standing.specsFor(call, start));
    return scopes;
  }

  /** Whether a span that may own a model call (see `mayBeCall`) is `start` or an open ancestor of it. */
  hasCallAncestor(start: SpanNode | undefined): boolean {
    let node = start;
    for (let depth = 0; node !== undefined && !node.ended && depth < MAX_DEPTH; depth++) {
      if (mayBeCall(kindOf(node))) return true;
      node = node.parent;
    }
    return false;
  }

  /** The span's budget, or undefined; a bad value is ignored with one warning per span (per node). */
  budgetOf(span: ProcessorReadableSpan, node: SpanNode | undefined): SpanBudget | undefined {
    const attrs = span.attributes;
    const limit = attrs[ATTR_COSTTRACE_BUDGET_LIMIT_USD];
    if (limit === undefined) return undefined;
    if (!isUsd(limit)) {
      this._warnBad(span, node, `${ATTR_COSTTRACE_BUDGET_LIMIT_USD}=${describeValue(limit)} is not a number in [0, ${MAX_USD}]; no budget is enforced on it`);
      return undefined;
    }
    const ratio = attrs[ATTR_COSTTRACE_BUDGET_WARN_RATIO];
    let warnRatio = this._options.warnRatio;
    if (isRatio(ratio)) warnRatio = ratio;
    else if (ratio !== undefined) {
      this._warnBad(span, node, `${ATTR_COSTTRACE_BUDGET_WARN_RATIO}=${describeValue(ratio)} is not in (0, 1]; using ${warnRatio}`);
    }
    const mode = attrs[ATTR_COSTTRACE_BUDGET_ON_EXCEED];
    if (mode !== undefined && mode !== BUDGET_ON_EXCEED_VALUE_ABORT && mode !== BUDGET_ON_EXCEED_VALUE_WARN) {
      this._warnBad(span, node, `${ATTR_COSTTRACE_BUDGET_ON_EXCEED}=${describeValue(mode)} is not abort or warn; using abort`);
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
    const live = this._tree.openNode(b.traceId, b.spanId)?.span as ProcessorSpan | undefined;
    return {
      key,
      traceId: b.traceId,
      spanId: b.spanId,
      name: live?.name ?? b.name,
      limitUsd: b.limitUsd,
      warnRatio,
      onExceed: mode === BUDGET_ON_EXCEED_VALUE_WARN ? 'warn' : 'abort',
      span: live,
      fromDefault: false,
    };
  }

  private _warnBad(span: ProcessorReadableSpan, node: SpanNode | undefined, message: string): void {
    if (node !== undefined) {
      if (node.budgetWarned) return;
      node.budgetWarned = true;
    }
    diag.warn(`BudgetSpanProcessor: span "${span.name}": ${message}`);
  }
}

function specOf(node: SpanNode, span: ProcessorSpan, budget: SpanBudget, fromDefault: boolean): ScopeSpec {
  return {
    key: scopeKey(node.traceId, node.spanId),
    traceId: node.traceId,
    spanId: node.spanId,
    name: span.name,
    limitUsd: budget.limitUsd,
    warnRatio: budget.warnRatio,
    onExceed: budget.onExceed,
    span,
    fromDefault,
  };
}
