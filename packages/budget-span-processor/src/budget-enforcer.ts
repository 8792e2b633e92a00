import { diag, trace, type Attributes } from '@opentelemetry/api';
import { BudgetExceededError, getCostLedger, isBudgetExceededError, unpatchedModules, type CallResult, type CallTicket, type GateCall, type StoppedCallRef } from '@costtrace/pipeline';
import { picoToUsd } from '@costtrace/pricing';
import {
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_ON_EXCEED,
  ATTR_COSTTRACE_BUDGET_SCOPE,
  ATTR_COSTTRACE_BUDGET_SPENT_USD,
  ATTR_COSTTRACE_BUDGET_WARN_RATIO,
  EVENT_COSTTRACE_BUDGET_EXCEEDED,
  EVENT_COSTTRACE_BUDGET_WARNING,
} from '@costtrace/semconv';
import { classifySpan, mayBeCall, type CallCost } from '@costtrace/cost-span-processor';
import type { BudgetMetrics } from './budget-metrics';
import { BudgetTicket, NOOP_TICKET, type TicketOwner } from './budget-ticket';
import { CatalogPricing, FallbackPricing, FREE_PRICING, type CallPricing } from './call-pricing';
import { ClosedScopes } from './closed-scopes';
import type { LocalScope, ScopeSpec } from './internal-types';
import { isUsd, scalePico, usdToPico } from './money';
import type { ResolvedOptions } from './options';
import type { ScopeFinder } from './scope-finder';
import type { SpanRegistry } from './span-registry';
import { WarnOnce } from './warn-once';

/**
 * Budget arithmetic and enforcement for every scope of this process: the
 * pre-call reservation, charging running usage, aborting a scope's in-flight
 * calls when it passes its limit, settling, soft limits and downgrades.
 */
export class BudgetEnforcer implements TicketOwner {
  private readonly _scopes = new Map<string, LocalScope>();
  /** Calls that ended, settled when their span ends (bounded by the calls in flight). */
  private readonly _pending = new Map<object, { ticket: BudgetTicket; result: CallResult }>();
  private readonly _closed: ClosedScopes;
  /** Spans that passed the gate, or hold one that did (another instrumentation's span around ours). */
  private readonly _gated = new WeakSet<object>();
  private _unpatchedWarned = false;

  constructor(
    private readonly _options: ResolvedOptions,
    private readonly _registry: SpanRegistry,
    private readonly _finder: ScopeFinder,
    private readonly _metrics: BudgetMetrics,
    private readonly _warn: WarnOnce,
    /** A cost processor hands this processor each call's price (settle at span end, priced once). */
    private readonly _settleAtSpanEnd: boolean,
  ) {
    this._closed = new ClosedScopes(_options.store);
  }

  scope(key: string): LocalScope | undefined {
    return this._scopes.get(key);
  }

  begin(call: GateCall): CallTicket {
    const ctx = call.span.spanContext();
    const entry = this._registry.get(ctx.spanId, ctx.traceId);
    this._gated.add(call.span);
    // A call span the sampler did not record is not in the registry: walk from its parent instead.
    const parentId = entry ? entry.parentId : trace.getSpan(call.parentContext)?.spanContext().spanId;
    this._touchAncestors(ctx.traceId, parentId);
    const specs = this._finder.find(ctx.traceId, parentId, call.context);
    if (specs.length === 0) return NOOP_TICKET;
    try {
      return this._admit(call, specs);
    } catch (err) {
      if (isBudgetExceededError(err)) throw err;
      return this._failClosed(call, specs, err);
    }
  }

  /**
   * The gate's own failure while a budget applies: the call is refused, never sent unchecked (the
   * instrumentation would send it unguarded if this threw anything but a BudgetExceededError).
   * Under warn-only budgets nothing would have been refused, so the call goes out uncounted.
   */
  private _failClosed(call: GateCall, specs: readonly ScopeSpec[], err: unknown): CallTicket {
    const why = err instanceof Error ? err.message : String(err);
    const spec = [...specs].reverse().find((s) => s.onExceed === 'abort');
    if (!spec) {
      diag.error('BudgetSpanProcessor: could not check a call against its warn-only budgets; it is not counted', err);
      return NOOP_TICKET;
    }
    diag.error(`BudgetSpanProcessor: could not check a call against budget "${spec.name}"; the call is refused`, err);
    const scope = this._scopes.get(spec.key);
    if (scope) scope.refusedCalls++;
    safely(() => call.span.setAttribute(ATTR_COSTTRACE_BUDGET_SCOPE, spec.name));
    throw new BudgetExceededError({
      scope: { traceId: spec.traceId, spanId: spec.spanId, name: spec.name },
      limitUsd: spec.limitUsd,
      spentUsd: scope ? picoToUsd(this.spentPico(scope)) : 0,
      action: 'refused',
      call: { provider: call.provider, model: call.requestModel, spanId: call.span.spanContext().spanId },
      message: `costtrace budget "${spec.name}" refused a ${call.provider} ${call.requestModel} call: the budget could not be checked (${why})`,
    });
  }

  private _admit(call: GateCall, specs: readonly ScopeSpec[]): CallTicket {
    const ctx = call.span.spanContext();
    this.warnUnpatched();

    const now = Date.now();
    const scopes: LocalScope[] = [];
    for (const spec of specs) {
      const scope = this.openScope(spec, now);
      if (scope) scopes.push(scope);
    }
    if (scopes.length === 0) return NOOP_TICKET;

    const asked = call.requestModel;
    const cheaper = this._options.downgrades.get(asked);
    let model = cheaper !== undefined && scopes.some((s) => s.softReached) ? cheaper : asked;
    let estimate = this._estimate(call, model);
    if (estimate.status !== 'priced' && model !== asked) {
      model = asked;
      estimate = this._estimate(call, model);
    }
    const callRef: StoppedCallRef = { provider: call.provider, model, spanId: ctx.spanId };

    let reservation: bigint;
    let pricing: CallPricing;
    if (estimate.status === 'priced' && estimate.totalPico !== undefined) {
      reservation = estimate.totalPico;
      pricing = new CatalogPricing(this._options.catalog, call.provider, model, call.estimate.serviceTier);
    } else {
      ({ reservation, pricing } = this._unpriced(call, model, scopes, callRef, estimate));
    }

    const index = this._options.store.reserve(
      scopes.map((s) => ({ key: s.key, limitPico: s.limitPico, enforce: s.onExceed === 'abort' })),
      reservation,
    );
    if (index >= 0) this._refuse(call, scopes[index]!, callRef);

    const ticket = new BudgetTicket(
      this,
      call,
      scopes,
      scopes.map((s) => s.key),
      reservation,
      pricing,
      model === asked ? undefined : model,
      callRef,
      // What the call would have cost at the model asked for, to record the saving.
      model === asked ? undefined : new CatalogPricing(this._options.catalog, call.provider, asked, call.estimate.serviceTier),
    );
    for (const scope of scopes) scope.inflight.add(ticket);
    return ticket;
  }

  charge(ticket: BudgetTicket, runPico: bigint): void {
    const held = runPico > ticket.reservedPico ? runPico : ticket.reservedPico;
    const heldDelta = held - ticket.heldPico;
    const runDelta = runPico - ticket.runPico;
    if (heldDelta === 0n && runDelta === 0n) return;
    ticket.heldPico = held;
    ticket.runPico = runPico;
    this._options.store.charge(ticket.keys, heldDelta, runDelta);
    this._check(ticket.scopes);
  }

  settle(ticket: BudgetTicket, costPico: bigint): void {
    this._options.store.settle(ticket.keys, ticket.heldPico, ticket.runPico, costPico);
    ticket.heldPico = 0n;
    ticket.runPico = 0n;
    const now = Date.now();
    for (const scope of ticket.scopes) {
      scope.inflight.delete(ticket);
      scope.lastActiveMs = now;
    }
    if (ticket.abortedBy) ticket.call.span.setAttribute(ATTR_COSTTRACE_BUDGET_SCOPE, ticket.abortedBy.ref.name);
    // A non-streaming call can settle above its reservation: that may cross a limit.
    this._check(ticket.scopes);
  }

  /**
   * Counts the cost of a call that passed no gate (an uninstrumented path) after the fact.
   * `inLedger`: the cost ledger's totals include the call already, so a scope this charge opens
   * (seeded from the ledger) holds it and is not charged it a second time.
   */
  chargeAfterTheFact(specs: readonly ScopeSpec[], costPico: bigint, inLedger: boolean): void {
    const now = Date.now();
    const scopes: LocalScope[] = [];
    const keys: string[] = [];
    for (const spec of specs) {
      const fresh = !this._scopes.has(spec.key);
      const scope = this.openScope(spec, now);
      if (!scope) continue;
      scopes.push(scope);
      if (!(fresh && inLedger && scope.seededFromLedger)) keys.push(scope.key);
    }
    this._options.store.settle(keys, 0n, 0n, costPico);
    this._check(scopes);
  }

  /** Settles a call that ended (its ticket) with its span's price; see BudgetTicket.finish. */
  defer(ticket: BudgetTicket, result: CallResult): boolean {
    if (!this._settleAtSpanEnd) return false;
    const span = ticket.call.span;
    const ctx = span.spanContext();
    // Only a span this processor saw start gets its onEnding/onEnd here.
    if (!this._registry.get(ctx.spanId, ctx.traceId)) return false;
    this._pending.set(span, { ticket, result });
    return true;
  }

  /** Settles the call whose span is ending, if its ticket waits for it. */
  settlePending(span: object, priced: CallCost | undefined): void {
    const pending = this._pending.get(span);
    if (!pending) return;
    this._pending.delete(span);
    pending.ticket.finish(pending.result, priced);
  }

  /** True when `span` passed the gate or holds a span that did: its cost is already counted. */
  isGated(span: object): boolean {
    return this._gated.has(span);
  }

  /**
   * A call is activity under every ancestor: refresh them so a long-running run span is not
   * swept as stale while it still makes calls, and mark an inference span around this call
   * (another instrumentation's span wrapping ours) as holding a gated call.
   */
  private _touchAncestors(traceId: string, parentId: string | undefined): void {
    const now = Date.now();
    let ancestor = this._registry.get(parentId, traceId);
    for (let depth = 0; ancestor && depth < 512; depth++) {
      ancestor.addedMs = now;
      if (mayBeCall(classifySpan(ancestor.span.attributes, ancestor.span.name))) this._gated.add(ancestor.span);
      ancestor = this._registry.get(ancestor.parentId, traceId);
    }
  }

  /** Gets or opens the scope of `spec`, refreshing its limit from the spec (read at gate time). */
  openScope(spec: ScopeSpec, now: number): LocalScope | undefined {
    let scope = this._scopes.get(spec.key) ?? this._reopen(spec);
    if (!scope) {
      if (!this._options.store.open(spec.key)) {
        this._metrics.droppedState(1);
        this._warn.once('store-full', `the budget store is full; budget "${spec.name}" and later new scopes are not enforced`);
        return undefined;
      }
      scope = {
        key: spec.key,
        ref: { traceId: spec.traceId, spanId: spec.spanId, name: spec.name },
        limitUsd: spec.limitUsd,
        limitPico: usdToPico(spec.limitUsd),
        warnRatio: spec.warnRatio,
        warnPico: scalePico(usdToPico(spec.limitUsd), spec.warnRatio),
        onExceed: spec.onExceed,
        span: spec.span,
        fromDefault: spec.fromDefault,
        inflight: new Set(),
        exceeded: false,
        exceededRecorded: false,
        softReached: false,
        abortedCalls: 0,
        abortedCallsRecorded: 0,
        refusedCalls: 0,
        lastActiveMs: now,
        seededFromLedger: false,
      };
      this._scopes.set(spec.key, scope);
      scope.seededFromLedger = this._seedFromEarlierSpend(spec);
    } else {
      const limitChanged = scope.limitUsd !== spec.limitUsd;
      const modeChanged = scope.onExceed !== spec.onExceed;
      if (limitChanged || scope.warnRatio !== spec.warnRatio) {
        scope.limitUsd = spec.limitUsd;
        scope.limitPico = usdToPico(spec.limitUsd);
        scope.warnRatio = spec.warnRatio;
        scope.warnPico = scalePico(scope.limitPico, spec.warnRatio);
      }
      scope.onExceed = spec.onExceed;
      if (limitChanged || modeChanged) {
        // A limit set again with setAttribute (raised, lowered) or a mode switched to abort:
        // whether the scope is over its limit is decided afresh, so the next crossing stops calls.
        const spent = this.spentPico(scope);
        scope.exceeded = spent > scope.limitPico;
        if (scope.exceeded && scope.onExceed === 'abort' && scope.inflight.size > 0) abortAll(scope, spent);
      }
      if (spec.span) scope.span = spec.span;
      if (scope.ref.name !== spec.name) scope.ref = { ...scope.ref, name: spec.name };
      scope.lastActiveMs = now;
    }
    return scope;
  }

  /**
   * A limit set on a span after calls under it had already ended (setAttribute later): the
   * budget covers the span's subtree, so what the cost processor counted there so far is
   * spent already. Calls still in flight under it when the limit appeared are not in it.
   */
  private _seedFromEarlierSpend(spec: ScopeSpec): boolean {
    let costUsd: number | undefined;
    try {
      costUsd = getCostLedger()?.spendUnder(spec.traceId, spec.spanId)?.costUsd;
    } catch {
      return false;
    }
    if (costUsd === undefined || !isUsd(costUsd)) return false;
    if (costUsd > 0) this._options.store.settle([spec.key], 0n, 0n, usdToPico(costUsd));
    return true;
  }

  /** A scope whose span ended and is used again: same ledger, same spend. */
  private _reopen(spec: ScopeSpec): LocalScope | undefined {
    const closed = this._closed.take(spec.key);
    if (!closed) return undefined;
    this._scopes.set(spec.key, closed);
    this._warn.once(
      `after-end:${spec.key}`,
      `a model call started under budget "${spec.name}" after its span ended; it is counted against the same budget ` +
        '(the spend written on the ended span does not include it)',
    );
    return closed;
  }

  /** Retires a scope whose span ended, keeping its ledger (bounded) for calls that still run under it. */
  closeScope(key: string): void {
    const scope = this._scopes.get(key);
    if (!scope) return;
    scope.span = undefined;
    this._scopes.delete(key);
    this._closed.add(scope, Date.now());
  }

  /** Drops idle scopes whose span was never seen ending. Returns how many. */
  sweep(now: number): number {
    let dropped = 0;
    for (const scope of this._scopes.values()) {
      if (scope.inflight.size > 0 || now - scope.lastActiveMs <= this._options.staleAfterMs) continue;
      if (this._registry.get(scope.ref.spanId, scope.ref.traceId)) continue;
      this.closeScope(scope.key);
      dropped++;
    }
    this._closed.sweep(now, this._options.staleAfterMs);
    return dropped;
  }

  clear(): void {
    for (const { ticket, result } of this._pending.values()) ticket.finish(result, undefined);
    this._pending.clear();
    this._scopes.clear();
    this._closed.clear();
  }

  warnUnpatched(): void {
    if (this._unpatchedWarned) return;
    const modules = unpatchedModules();
    if (modules.length === 0) return;
    this._unpatchedWarned = true;
    const list = modules.map((m) => `${m.module}@${m.version ?? '?'} (${m.reason})`).join(', ');
    diag.warn(`BudgetSpanProcessor: budgets are in use but these SDKs were left unpatched, so their calls are neither counted nor stopped: ${list}`);
  }

  /** Spend of a scope now: settled + running cost of in-flight calls. */
  spentPico(scope: LocalScope): bigint {
    const ledger = this._options.store.get(scope.key);
    return ledger ? ledger.settledPico + ledger.inflightPico : 0n;
  }

  // The abort path. Checks each scope the call is under; a scope whose spend
  // passed its limit aborts its in-flight calls at once, before any event,
  // metric or log is written.
  private _check(scopes: readonly LocalScope[]): void {
    let crossed: LocalScope[] | undefined;
    for (let i = 0; i < scopes.length; i++) {
      const scope = scopes[i]!;
      const ledger = this._options.store.get(scope.key);
      if (!ledger) continue;
      const spent = ledger.settledPico + ledger.inflightPico;
      if (!scope.exceeded && spent > scope.limitPico) {
        scope.exceeded = true;
        if (scope.onExceed === 'abort' && scope.inflight.size > 0) abortAll(scope, spent);
        (crossed ??= []).push(scope);
      } else if (!scope.softReached && spent > 0n && spent >= scope.warnPico) {
        (crossed ??= []).push(scope);
      }
    }
    if (crossed) for (const scope of crossed) this._record(scope);
  }

  private _record(scope: LocalScope): void {
    const spent = this.spentPico(scope);
    const name = scope.ref.name;
    const attrs: Attributes = {
      [ATTR_COSTTRACE_BUDGET_SCOPE]: name,
      [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: scope.limitUsd,
      [ATTR_COSTTRACE_BUDGET_SPENT_USD]: picoToUsd(spent),
    };
    if (!scope.softReached) {
      scope.softReached = true;
      this._metrics.warning(name);
      safely(() => scope.span?.addEvent(EVENT_COSTTRACE_BUDGET_WARNING, { ...attrs, [ATTR_COSTTRACE_BUDGET_WARN_RATIO]: scope.warnRatio }));
    }
    if (scope.abortedCalls > scope.abortedCallsRecorded) {
      this._metrics.aborted(name, scope.abortedCalls - scope.abortedCallsRecorded);
      scope.abortedCallsRecorded = scope.abortedCalls;
    }
    if (scope.exceeded && !scope.exceededRecorded) {
      scope.exceededRecorded = true;
      safely(() => scope.span?.addEvent(EVENT_COSTTRACE_BUDGET_EXCEEDED, { ...attrs, [ATTR_COSTTRACE_BUDGET_ON_EXCEED]: scope.onExceed }));
    }
  }

  private _estimate(call: GateCall, model: string) {
    const e = call.estimate;
    const inputTokens = count(e.inputTokens) ?? 0;
    const cacheWrite = count(e.cacheWriteTokens);
    return this._options.catalog.estimateMaxCost({
      provider: call.provider,
      model,
      inputTokens,
      maxOutputTokens: count(e.maxOutputTokens) ?? this._options.outputAllowanceTokens,
      n: Math.max(1, count(e.choices) ?? 1),
      ...(cacheWrite === undefined ? {} : { cacheWriteTokens: Math.min(cacheWrite, inputTokens) }),
      ...(e.serviceTier === undefined ? {} : { serviceTier: e.serviceTier }),
    });
  }

  private _unpriced(
    call: GateCall,
    model: string,
    scopes: readonly LocalScope[],
    callRef: StoppedCallRef,
    estimate: { status: string; reason?: string },
  ): { reservation: bigint; pricing: CallPricing } {
    const label = `${call.provider}/${model}`;
    const why = estimate.status === 'unpriced' ? 'has no price' : `cannot be estimated (${estimate.reason ?? estimate.status})`;
    const enforcing = scopes.filter((s) => s.onExceed === 'abort');
    const policy = this._options.unpricedPolicy;
    if (policy === 'refuse' && enforcing.length > 0) {
      const scope = enforcing[enforcing.length - 1]!;
      const message =
        `costtrace budget "${scope.ref.name}" refused a ${call.provider} ${model} call: the model ${why}, so the budget ` +
        `cannot be enforced; add a price override for ${label} via COSTTRACE_PRICES_FILE or PriceCatalog overrides ` +
        `(or set the BudgetSpanProcessor's unpricedPolicy to 'reserve' or 'allow')`;
      this._warn.once(`unpriced:${label}`, message);
      this._refuse(call, scope, callRef, message);
    }
    if (policy === 'reserve') {
      const e = call.estimate;
      const output = (count(e.maxOutputTokens) ?? this._options.outputAllowanceTokens) * Math.max(1, count(e.choices) ?? 1);
      const tokens = BigInt((count(e.inputTokens) ?? 0) + output);
      this._warn.once(
        `unpriced:${label}`,
        `${label} ${why}; calls to it under a budget are reserved and charged at the fallback price ` +
          `(${picoToUsd(this._options.fallbackPicoPerToken * 1_000_000n)} USD per million tokens). Add a price override to count them exactly`,
      );
      return { reservation: tokens * this._options.fallbackPicoPerToken, pricing: new FallbackPricing(this._options.fallbackPicoPerToken) };
    }
    this._warn.once(`unpriced:${label}`, `${label} ${why}; calls to it under a budget are allowed and not counted. Add a price override to count them`);
    return { reservation: 0n, pricing: FREE_PRICING };
  }

  private _refuse(call: GateCall, scope: LocalScope, callRef: StoppedCallRef, message?: string): never {
    scope.refusedCalls++;
    this._metrics.refused(scope.ref.name);
    safely(() => call.span.setAttribute(ATTR_COSTTRACE_BUDGET_SCOPE, scope.ref.name));
    const ledger = this._options.store.get(scope.key);
    const spent = ledger ? ledger.settledPico + ledger.reservedPico : 0n;
    throw new BudgetExceededError({
      scope: scope.ref,
      limitUsd: scope.limitUsd,
      spentUsd: picoToUsd(spent),
      action: 'refused',
      call: callRef,
      ...(message === undefined ? {} : { message }),
    });
  }
}

// Errors made on this path carry no stack: it would only show the usage
// callback that crossed the limit, and capturing it for every one of N calls
// costs more than the abort itself.
function abortAll(scope: LocalScope, spent: bigint): void {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let aborted = 0;
  try {
    for (const call of scope.inflight) {
      if (call.aborted) continue;
      try {
        if (call.abort(scope, spent)) aborted++;
      } catch (err) {
        diag.error('BudgetSpanProcessor: could not abort a call', err);
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  scope.abortedCalls += aborted;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    diag.error('BudgetSpanProcessor: could not record a budget event', err);
  }
}
