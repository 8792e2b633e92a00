import { diag, trace } from '@opentelemetry/api';
import { BudgetExceededError, isBudgetExceededError, tokenCount as count, unpatchedModules, type CallTicket, type GateCall, type StoppedCallRef } from '@costtrace/pipeline';
import { picoToUsd } from '@costtrace/pricing';
import { ATTR_COSTTRACE_BUDGET_SCOPE } from '@costtrace/semconv';
import { kindOf, mayBeCall, type CallCost, type SpanNode, type SpanTree } from '@costtrace/cost-span-processor';
import type { BudgetMetrics } from './budget-metrics';
import { BudgetTicket, NOOP_TICKET } from './budget-ticket';
import { CatalogPricing, type CallPricing } from './call-pricing';
import { Charging } from './charging';
import type { LocalScope, ScopeSpec } from './internal-types';
import { LimitWatch, safely } from './limit-watch';
import type { ResolvedOptions } from './options';
import { ScopeBook } from './scope-book';
import type { ScopeFinder } from './scope-finder';
import type { BudgetStoreEvent } from './types';
import { admitUnpriced, type UnpricedHost } from './unpriced-policy';
import { isStoreUnavailable } from './store-unavailable';
import type { WarnOnce } from './warn-once';

/**
 * The call gate's admission step for every scope of this process: finds the scopes above a
 * call, reserves its worst case against all of them in one synchronous step (or refuses it),
 * applies soft-limit downgrades and the unpriced policy, and hands the admitted call a ticket.
 * Scope life is in {@link ScopeBook}, money after admission in {@link Charging}, limits in
 * {@link LimitWatch}.
 */
export class BudgetEnforcer {
  /** Call spans that passed the gate but are not in the tree (past its bound); the others are marked on their node. */
  private readonly _gatedUntracked = new WeakSet<object>();
  private readonly _watch: LimitWatch;
  private readonly _book: ScopeBook;
  private readonly _charging: Charging;
  private readonly _unpricedHost: UnpricedHost;
  private _unpatchedWarned = false;

  constructor(
    private readonly _options: ResolvedOptions,
    private readonly _tree: SpanTree,
    private readonly _finder: ScopeFinder,
    private readonly _metrics: BudgetMetrics,
    warn: WarnOnce,
    settleAtSpanEnd: boolean,
  ) {
    this._watch = new LimitWatch(_options.store, _metrics);
    this._book = new ScopeBook(_options, _tree, _metrics, warn, this._watch);
    this._charging = new Charging(_options, _tree, this._book, this._watch, settleAtSpanEnd);
    this._unpricedHost = { options: _options, warn, refuse: (call, scope, ref, message) => this._refuse(call, scope, ref, message) };
  }

  scope(key: string): LocalScope | undefined {
    return this._book.scope(key);
  }

  spentPico(scope: LocalScope): bigint {
    return this._watch.spentPico(scope);
  }

  chargeAfterTheFact(specs: readonly ScopeSpec[], costPico: bigint, inLedger: boolean): void {
    this._charging.chargeAfterTheFact(specs, costPico, inLedger);
  }

  settlePending(span: object, priced: CallCost | undefined): void {
    this._charging.settlePending(span, priced);
  }

  closeScope(key: string): void {
    this._book.closeScope(key);
  }

  sweep(now: number): number {
    return this._book.sweep(now);
  }

  clear(): void {
    this._charging.clear();
    this._book.clear();
  }

  /** The synchronous gate (SDK-level calls): see {@link _admit} for a shared store that must wait. */
  begin(call: GateCall): CallTicket {
    return this._gate(call, false) as CallTicket;
  }

  /** The asynchronous gate (wire-level calls): waits for a shared store's answer before the request leaves. */
  beginAsync(call: GateCall): Promise<CallTicket> {
    try {
      return Promise.resolve(this._gate(call, true));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private _gate(call: GateCall, canWait: boolean): CallTicket | Promise<CallTicket> {
    const ctx = call.span.spanContext();
    const node = this._tree.node(ctx.traceId, ctx.spanId);
    let parent: SpanNode | undefined;
    if (node !== undefined) {
      node.gated = true;
      parent = node.parent;
    } else {
      this._gatedUntracked.add(call.span);
      // A call span the sampler did not record is not in the tree: walk from its parent instead.
      parent = this._tree.openNode(ctx.traceId, trace.getSpan(call.parentContext)?.spanContext().spanId);
    }
    this._touchAncestors(node ?? parent, parent);
    const specs = this._finder.find(ctx.traceId, parent, call.context, call);
    if (specs.length === 0) return NOOP_TICKET;
    try {
      return this._admit(call, specs, canWait);
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
    // A shared store that cannot answer warns once per outage itself, not once per call.
    const storeDown = isStoreUnavailable(err);
    const spec = [...specs].reverse().find((s) => s.onExceed === 'abort');
    if (!spec) {
      if (!storeDown) diag.error('BudgetSpanProcessor: could not check a call against its warn-only budgets; it is not counted', err);
      return NOOP_TICKET;
    }
    if (!storeDown) diag.error(`BudgetSpanProcessor: could not check a call against budget "${spec.name}"; the call is refused`, err);
    const scope = this._book.scope(spec.key);
    if (scope) scope.refusedCalls++;
    safely(() => call.span.setAttribute(ATTR_COSTTRACE_BUDGET_SCOPE, spec.name));
    throw new BudgetExceededError({
      scope: { traceId: spec.traceId, spanId: spec.spanId, name: spec.name },
      limitUsd: spec.limitUsd,
      spentUsd: scope ? picoToUsd(this._watch.spentPico(scope)) : 0,
      action: 'refused',
      call: { provider: call.provider, model: call.requestModel, spanId: call.span.spanContext().spanId },
      message: `costtrace budget "${spec.name}" refused a ${call.provider} ${call.requestModel} call: the budget could not be checked (${why})`,
    });
  }

  /**
   * Reserves the call's worst case in every scope at once. A shared store may have to ask its
   * ledger (the local lease does not cover the call): on the asynchronous path the answer is
   * awaited before anything is sent; on the synchronous path (the SDK's own promise must be
   * returned at once) the call is admitted provisionally and sent, and aborted at once with a
   * BudgetExceededError if the store refuses or cannot answer.
   */
  private _admit(call: GateCall, specs: readonly ScopeSpec[], canWait: boolean): CallTicket | Promise<CallTicket> {
    const ctx = call.span.spanContext();
    this.warnUnpatched();

    const now = Date.now();
    const scopes: LocalScope[] = [];
    for (const spec of specs) {
      const scope = this._book.openScope(spec, now);
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
      ({ reservation, pricing } = admitUnpriced(this._unpricedHost, call, model, scopes, callRef, estimate));
    }

    const store = this._options.store;
    const request = scopes.map((s) => ({ key: s.key, limitPico: s.limitPico, enforce: s.onExceed === 'abort', name: s.ref.name, ...(s.window === undefined ? {} : { window: s.window }) }));
    const answer = store.reserveShared ? store.reserveShared(request, reservation) : store.reserve(request, reservation);
    const issue = (): BudgetTicket => this._ticket(call, scopes, reservation, pricing, model, asked, callRef);
    if (typeof answer === 'number') {
      if (answer >= 0) this._refuse(call, scopes[answer]!, callRef, this._stoppedMessage(call, scopes[answer]!));
      return issue();
    }
    if (canWait) {
      return answer.then(
        (index) => {
          if (index >= 0) this._refuse(call, scopes[index]!, callRef, this._stoppedMessage(call, scopes[index]!));
          return issue();
        },
        (err: unknown) => this._failClosed(call, specs, err),
      );
    }
    const ticket = issue();
    answer.then(
      (index) => {
        if (index >= 0) this._refuseSent(ticket, scopes[index]!, reservation, undefined);
      },
      (err: unknown) => {
        const scope = scopes.find((s) => s.onExceed === 'abort');
        if (scope) this._refuseSent(ticket, scope, reservation, err);
      },
    );
    return ticket;
  }

  /**
   * The shared store refused (or could not answer for) a call the synchronous path had already
   * sent: nothing was reserved for it, so its reservation is recorded now (its ticket releases it
   * as it settles) and the call is aborted at once.
   */
  private _refuseSent(ticket: BudgetTicket, scope: LocalScope, reservation: bigint, err: unknown): void {
    safely(() => {
      this._options.store.charge(ticket.keys, reservation, 0n);
      scope.refusedCalls++;
      this._metrics.refused(scope.ref.name);
      const why = err === undefined ? (this._stoppedMessage(ticket.call, scope) ?? 'the shared budget cannot cover it') : err instanceof Error ? err.message : String(err);
      ticket.abort(
        scope,
        this._watch.spentPico(scope),
        `costtrace budget "${scope.ref.name}" refused a ${ticket.call.provider} ${ticket.callRef.model} call after it was sent (the shared budget store answered late): ${why}`,
        'refused',
      );
    });
  }

  private _stoppedMessage(call: GateCall, scope: LocalScope): string | undefined {
    if (this._options.store.isStopped?.(scope.key) !== true) return undefined;
    return `costtrace budget "${scope.ref.name}" (${scope.key}) was stopped by an operator (costtrace budget stop); it refuses ${call.provider} ${call.requestModel} calls until costtrace budget resume`;
  }

  /** What the shared store says happened elsewhere to a scope this process has open. */
  onStoreEvent(event: BudgetStoreEvent): void {
    const scope = this._book.scope(event.key);
    if (!scope) return;
    if (event.kind === 'crossed') this._watch.crossedElsewhere(scope, event.spentPico);
    else if (event.kind === 'stopped') {
      this._watch.stopped(scope, `costtrace budget "${scope.ref.name}" (${scope.key}) was stopped by an operator (costtrace budget stop); its calls are aborted`);
    }
  }

  private _ticket(
    call: GateCall,
    scopes: LocalScope[],
    reservation: bigint,
    pricing: CallPricing,
    model: string,
    asked: string,
    callRef: StoppedCallRef,
  ): BudgetTicket {
    const ticket = new BudgetTicket(
      this._charging,
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

  /** True when `span` (its node, if the tree holds it) passed the gate or holds a span that did: its cost is already counted. */
  isGated(span: object, node: SpanNode | undefined): boolean {
    return node !== undefined ? node.gated : this._gatedUntracked.has(span);
  }

  /**
   * A call is activity in its trace: touch it so a long-running run is not swept as stale while
   * it still makes calls, and mark an inference span around this call (another
   * instrumentation's span wrapping ours) as holding a gated call.
   */
  private _touchAncestors(inTrace: SpanNode | undefined, parent: SpanNode | undefined): void {
    if (inTrace !== undefined) this._tree.touch(inTrace);
    let ancestor = parent;
    for (let depth = 0; ancestor !== undefined && !ancestor.ended && depth < 512; depth++) {
      if (mayBeCall(kindOf(ancestor))) ancestor.gated = true;
      ancestor = ancestor.parent;
    }
  }

  warnUnpatched(): void {
    if (this._unpatchedWarned) return;
    const modules = unpatchedModules();
    if (modules.length === 0) return;
    this._unpatchedWarned = true;
    const list = modules.map((m) => `${m.module}@${m.version ?? '?'} (${m.reason})`).join(', ');
    diag.warn(`BudgetSpanProcessor: budgets are in use but these SDKs were left unpatched, so their calls are neither counted nor stopped: ${list}`);
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
