import { diag, propagation, type Attributes } from '@opentelemetry/api';
import { getScopes, type GateCall } from '@costtrace/pipeline';
import {
  ATTR_COSTTRACE_RUN_NAME,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  BAGGAGE_COSTTRACE_RUN_NAME,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
  STANDING_SCOPE_KEY_PREFIX,
} from '@costtrace/semconv';
import type { SpanNode } from '@costtrace/cost-span-processor';
import type { ScopeSpec } from './internal-types';
import type { ResolvedStandingBudget } from './standing-budget';
import { calendarWindow, rollingWindow, windowLabel } from './standing-window';
import type { BudgetStore } from './types';

const MAX_DEPTH = 512;
/** Longest key value kept in a scope key; a longer one (a baggage entry) is cut. */
const MAX_VALUE_LENGTH = 256;

/** The scope key of a standing budget's window (or rolling bucket) for one key value. */
export function standingScopeKey(budget: string, value: string, startMs: number): string {
  return `${STANDING_SCOPE_KEY_PREFIX}${budget}:${encodeURIComponent(value.slice(0, MAX_VALUE_LENGTH))}:${windowLabel(startMs)}`;
}

/**
 * Finds the standing budgets a call is under, as scopes for this moment by the processor's clock:
 * a calendar window's scope is keyed by the window's start, so the next window is a fresh scope; a
 * rolling window reserves in its current bucket against what the earlier buckets left of the limit.
 */
export class StandingScopes {
  constructor(
    private readonly _budgets: readonly ResolvedStandingBudget[],
    private readonly _store: BudgetStore,
    private readonly _now: () => number,
  ) {}

  private _badClockWarned = false;

  get size(): number {
    return this._budgets.length;
  }

  /** Standing scopes over `call`, whose parent in the span tree is `parent`. */
  specsFor(call: GateCall, parent: SpanNode | undefined): ScopeSpec[] {
    const specs: ScopeSpec[] = [];
    if (this._budgets.length === 0) return specs;
    const now = this._clock();
    for (const budget of this._budgets) {
      const value = this._keyValue(budget, call, parent);
      if (value === undefined || (budget.value !== undefined && value !== budget.value)) continue;
      specs.push(budget.rolling ? this._rolling(budget, value, now) : this._calendar(budget, value, now));
    }
    return specs;
  }

  // A clock that fails or gives no finite time (the app's own `now`) falls back to Date.now, said once.
  private _clock(): number {
    let now: unknown;
    try {
      now = this._now();
    } catch (err) {
      now = err;
    }
    if (typeof now === 'number' && Number.isFinite(now)) return now;
    if (!this._badClockWarned) {
      this._badClockWarned = true;
      diag.warn(`BudgetSpanProcessor: the now option gave ${now instanceof Error ? `an error (${now.message})` : String(now)}, not epoch milliseconds; standing budget windows use Date.now`);
    }
    return Date.now();
  }

  private _calendar(budget: ResolvedStandingBudget, value: string, now: number): ScopeSpec {
    const { startMs, endMs } = calendarWindow(budget.window, now);
    return spec(budget, value, standingScopeKey(budget.name, value, startMs), budget.limitPico, budget.warnPico, endMs);
  }

  private _rolling(budget: ResolvedStandingBudget, value: string, now: number): ScopeSpec {
    const window = rollingWindow(budget.window, now);
    // Earlier buckets are settled or held (reserved) already; only this process's view of them counts.
    let earlier = 0n;
    for (const start of window.earlierStartsMs) {
      const ledger = this._store.get(standingScopeKey(budget.name, value, start));
      if (ledger) earlier += ledger.settledPico + ledger.reservedPico;
    }
    const left = (pico: bigint): bigint => (pico > earlier ? pico - earlier : 0n);
    return spec(
      budget,
      value,
      standingScopeKey(budget.name, value, window.currentStartMs),
      left(budget.limitPico),
      left(budget.warnPico),
      window.currentExpiresMs,
    );
  }

  private _keyValue(budget: ResolvedStandingBudget, call: GateCall, parent: SpanNode | undefined): string | undefined {
    switch (budget.by.kind) {
      case 'model':
        return call.requestModel || undefined;
      case 'provider':
        return call.provider || undefined;
      case 'agent':
        return (
          getScopes(call.parentContext).agent?.name ??
          stringAttr((call.span as { attributes?: Attributes }).attributes, ATTR_GEN_AI_AGENT_NAME) ??
          ancestorAttr(parent, GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT, ATTR_GEN_AI_AGENT_NAME)
        );
      case 'run':
        return (
          getScopes(call.parentContext).run?.name ??
          ancestorAttr(parent, GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW, ATTR_COSTTRACE_RUN_NAME) ??
          baggageValue(call, BAGGAGE_COSTTRACE_RUN_NAME)
        );
      case 'baggage':
        return baggageValue(call, budget.by.entry);
    }
  }
}

function spec(budget: ResolvedStandingBudget, value: string, key: string, limitPico: bigint, warnPico: bigint, expiresAtMs: number): ScopeSpec {
  return {
    key,
    traceId: '',
    spanId: '',
    name: `standing ${budget.name} ${value}`,
    limitUsd: budget.limitUsd,
    warnRatio: budget.warnRatio,
    onExceed: budget.onExceed,
    span: undefined,
    fromDefault: false,
    standing: { limitPico, warnPico, expiresAtMs, window: budget.rolling ? `${budget.window} rolling` : budget.window },
  };
}

function baggageValue(call: GateCall, entry: string): string | undefined {
  // The caller's context: the call's own runs without baggage (it is not sent to the provider).
  const value = propagation.getBaggage(call.parentContext)?.getEntry(entry)?.value;
  return value === undefined || value === '' ? undefined : value;
}

function stringAttr(attrs: Attributes | undefined, name: string): string | undefined {
  const value = attrs?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function ancestorAttr(start: SpanNode | undefined, operation: string, name: string): string | undefined {
  let node = start;
  for (let depth = 0; node !== undefined && depth < MAX_DEPTH; depth++) {
    const attrs = (node.span as { attributes?: Attributes } | undefined)?.attributes;
    if (attrs?.[ATTR_GEN_AI_OPERATION_NAME] === operation) {
      const value = stringAttr(attrs, name);
      if (value !== undefined) return value;
    }
    node = node.parent;
  }
  return undefined;
}
