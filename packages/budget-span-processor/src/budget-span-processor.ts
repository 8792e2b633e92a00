import { diag, type Context } from '@opentelemetry/api';
import { setCallGate, type CallGate, type CallTicket, type GateCall } from '@costtrace/pipeline';
import { picoToUsd } from '@costtrace/pricing';
import {
  ATTR_COSTTRACE_BUDGET_ABORTED_CALLS,
  ATTR_COSTTRACE_BUDGET_EXCEEDED,
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_REFUSED_CALLS,
  ATTR_COSTTRACE_BUDGET_SPENT_USD,
  ATTR_COSTTRACE_PRICING_STATUS,
  PRICING_STATUS_VALUE_DUPLICATE,
} from '@costtrace/semconv';
import {
  classifySpan,
  isModelCallKind,
  KIND_UNKNOWN,
  priceCall,
  SpanTree,
  type DropReason,
  type PricedCalls,
  type SpanNode,
} from '@costtrace/cost-span-processor';
import { costPico } from './money';
import { BudgetEnforcer } from './budget-enforcer';
import { BudgetMetrics } from './budget-metrics';
import type { LocalScope } from './internal-types';
import { resolveOptions, type ResolvedOptions } from './options';
import { ScopeFinder, scopeKey } from './scope-finder';
import { readScopeSpend } from './scope-spend';
import type { BudgetSpanProcessorOptions, ProcessorReadableSpan, ProcessorSpan } from './types';
import { WarnOnce } from './warn-once';
import { foreignClient } from './foreign-client';

/** State `createCostProcessors` builds once and hands to both processors. */
export interface BudgetProcessorLink {
  /** The one span tree of the pipeline; the cost processor (before this one) starts spans in it, this one ends them. */
  tree: SpanTree;
  /** Each call's price as the cost processor computed it, for spans the tree does not hold. */
  pricedCalls: PricedCalls;
}

/**
 * Enforces budgets set as span attributes (`costtrace.budget.limit_usd` on any
 * span covers its subtree; scopes nest). It is the process's call gate: the
 * instrumentations ask it, synchronously, before each model call is sent; it
 * reserves the call's worst case against every scope above it, refuses what a
 * scope cannot cover, charges streamed usage as it arrives and aborts every
 * in-flight call of a scope the moment its spend passes the limit. Budget
 * outcomes are written on the budget span in `onEnding`.
 *
 * Build it with its cost processor through `createCostProcessors()`, whose `install()` makes it
 * the call gate; the two share one span tree. No constructor installs anything. Constructed on
 * its own (the standalone convenience, for an app's own NodeSDK) it builds its own tree and
 * becomes the call gate at its first span or, failing that (a sampler that records nothing), in
 * a microtask after construction; `shutdown()` removes it.
 */
export class BudgetSpanProcessor implements CallGate {
  private readonly _options: ResolvedOptions;
  private readonly _tree: SpanTree;
  /** This processor starts spans in the tree (built alone); else the cost processor does. */
  private readonly _startsSpans: boolean;
  private readonly _finder: ScopeFinder;
  private readonly _enforcer: BudgetEnforcer;
  private readonly _metrics: BudgetMetrics;
  private readonly _warn = new WarnOnce();
  private _removeGate: (() => void) | undefined;
  /** Built alone (not by createCostProcessors): installs itself as the call gate on first use. */
  private _selfInstall: boolean;
  private _sawOnEnding = false;
  private _onEndingMissing = false;
  private _shutdown = false;
  private readonly _unwatchStore: (() => void) | undefined;

  private readonly _priced: PricedCalls | undefined;

  /**
   * @param options see {@link BudgetSpanProcessorOptions}
   * @param link state handed to both processors by `createCostProcessors` (the shared span tree,
   *   each call's price as the cost processor computed it); without it the processor builds its
   *   own tree, bounded by `maxOpenSpans` and `staleAfterMs`
   */
  constructor(options: BudgetSpanProcessorOptions = {}, link?: BudgetProcessorLink) {
    this._priced = link?.pricedCalls;
    this._options = resolveOptions(options ?? {}, process.env);
    this._startsSpans = link === undefined;
    this._tree = link?.tree ?? new SpanTree({ ttlMs: this._options.staleAfterMs, maxSpans: this._options.maxOpenSpans });
    this._finder = new ScopeFinder(this._tree, this._options, this._warn);
    this._metrics = new BudgetMetrics(this._options.meterProvider);
    this._enforcer = new BudgetEnforcer(this._options, this._tree, this._finder, this._metrics, this._warn, this._priced !== undefined);
    const store = this._options.store;
    if (store.reserveShared !== undefined) this.beginAsync = (call) => this._enforcer.beginAsync(call);
    this._unwatchStore = store.watch?.((event) => {
      try {
        this._enforcer.onStoreEvent(event);
      } catch (err) {
        diag.error('BudgetSpanProcessor: could not handle a budget store event', err);
      }
    });
    // The processor that starts spans in the tree reports its drops (in createCostProcessors, the cost processor).
    if (this._startsSpans) this._tree.onDrop((spans, reason, limit) => this._dropped(spans, reason, limit));
    this._tree.onSweep((now) => this._sweep(now));
    this._selfInstall = link === undefined;
    // See the class comment: a microtask, so a sampler that records nothing cannot switch budgets off.
    if (this._selfInstall) queueMicrotask(() => this._installSelf());
  }

  /**
   * Makes this processor the process's call gate; returns a function that removes it.
   * `createCostProcessors().install()` calls it.
   */
  installGate(): () => void {
    this._selfInstall = false;
    const remove = setCallGate(this);
    this._removeGate = remove;
    return remove;
  }

  private _installSelf(): void {
    if (this._selfInstall && !this._shutdown) this.installGate();
  }

  /** @see CallGate.begin — runs synchronously before a model call is sent; throws BudgetExceededError to refuse it. */
  begin(call: GateCall): CallTicket {
    return this._enforcer.begin(call);
  }

  /** @see CallGate.scopeSpend — what `withRun` writes as the run's total before its span ends. */
  scopeSpend(traceId: string, spanId: string): Promise<number | undefined> {
    return readScopeSpend(this._options.store, scopeKey(traceId, spanId));
  }

  /**
   * @see CallGate.beginAsync — present only with a shared store (one that has `reserveShared`):
   * the wire-level path then waits for the store's answer before the request leaves. With the
   * in-memory store every path answers synchronously through {@link begin}.
   */
  declare beginAsync?: (call: GateCall) => Promise<CallTicket>;

  onStart(span: ProcessorSpan, parentContext: Context): void {
    if (this._shutdown) return;
    try {
      if (this._selfInstall) this._installSelf();
      if (this._startsSpans) this._tree.start(span as never, parentContext);
    } catch (err) {
      diag.error('BudgetSpanProcessor: onStart failed', err);
    }
  }

  /** Writes the budget outcome on a budget span while it can still be written (sdk-trace-base >= 2.3). */
  onEnding(span: ProcessorSpan): void {
    this._sawOnEnding = true;
    try {
      const node = this._nodeOf(span);
      this._enforcer.settlePending(span, this._priceOf(span, node));
      this._writeOutcome(span, node, true);
    } catch (err) {
      diag.error('BudgetSpanProcessor: onEnding failed', err);
    }
  }

  onEnd(span: ProcessorReadableSpan): void {
    try {
      const node = this._nodeOf(span);
      if (!this._sawOnEnding) {
        this._enforcer.settlePending(span, this._priceOf(span, node));
        if (node !== undefined) {
          if (!this._onEndingMissing) {
            this._onEndingMissing = true;
            diag.warn(
              'BudgetSpanProcessor: the tracer provider does not call onEnding (@opentelemetry/sdk-trace-base < 2.3); ' +
                'budgets are enforced, but costtrace.budget.* outcome attributes are not written on budget spans (metrics and events still are)',
            );
          }
          this._writeOutcome(span, node, false);
        }
      }
      this._chargeUninstrumented(span, node);
      if (node === undefined) {
        const { traceId, spanId } = span.spanContext();
        this._enforcer.closeScope(scopeKey(traceId, spanId));
      } else {
        const scope = node.budgetScope as LocalScope | undefined;
        if (scope !== undefined) this._enforcer.closeScope(scope.key);
        // The last processor of the chain: the tree can let the span go.
        this._tree.end(node);
      }
    } catch (err) {
      diag.error('BudgetSpanProcessor: onEnd failed', err);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (this._shutdown) return Promise.resolve();
    this._shutdown = true;
    this._removeGate?.();
    this._selfInstall = false;
    this._tree.clear();
    this._enforcer.clear();
    this._unwatchStore?.();
    // A shared store releases its leases and closes its connections.
    return (this._options.store.shutdown?.() ?? Promise.resolve()).catch((err: unknown) => diag.error('BudgetSpanProcessor: the budget store failed to shut down', err));
  }

  private _nodeOf(span: ProcessorReadableSpan): SpanNode | undefined {
    const { traceId, spanId } = span.spanContext();
    return this._tree.node(traceId, spanId);
  }

  /** The price the cost processor put on the call (on its node, or handed over for a span the tree does not hold). */
  private _priceOf(span: object, node: SpanNode | undefined) {
    return node !== undefined ? node.price : this._priced?.get(span)?.cost;
  }

  private _writeOutcome(span: ProcessorReadableSpan, node: SpanNode | undefined, writable: boolean): void {
    let scope: LocalScope | undefined;
    if (node !== undefined) scope = node.budgetScope as LocalScope | undefined;
    else {
      const { traceId, spanId } = span.spanContext();
      scope = this._enforcer.scope(scopeKey(traceId, spanId));
    }
    const budget = this._finder.budgetOf(span, node);
    if (!scope && !budget) return;
    if (budget) this._enforcer.warnUnpatched();
    const limitUsd = budget?.limitUsd ?? scope!.limitUsd;
    const spentPico = scope ? this._enforcer.spentPico(scope) : 0n;
    const spentUsd = picoToUsd(spentPico);
    if (writable) {
      const target = span as ProcessorSpan;
      if (!budget && scope?.fromDefault) target.setAttribute(ATTR_COSTTRACE_BUDGET_LIMIT_USD, limitUsd);
      target.setAttribute(ATTR_COSTTRACE_BUDGET_SPENT_USD, spentUsd);
      target.setAttribute(ATTR_COSTTRACE_BUDGET_EXCEEDED, scope?.exceeded ?? false);
      target.setAttribute(ATTR_COSTTRACE_BUDGET_ABORTED_CALLS, scope?.abortedCalls ?? 0);
      target.setAttribute(ATTR_COSTTRACE_BUDGET_REFUSED_CALLS, scope?.refusedCalls ?? 0);
    }
    if (limitUsd > 0) this._metrics.utilization(scope?.ref.name ?? span.name, spentUsd / limitUsd);
  }

  // An inference span that ends under a budget without having passed the gate
  // (an SDK or a call path costtrace does not patch): its cost is counted now,
  // after the fact, and one warning says the path is not stopped before sending.
  private _chargeUninstrumented(span: ProcessorReadableSpan, node: SpanNode | undefined): void {
    const attrs = span.attributes;
    // The kind the tree holds (the cost processor classified it again as the span ended).
    const kind = node !== undefined && node.kind !== KIND_UNKNOWN ? node.kind : classifySpan(attrs, span.name);
    if (!isModelCallKind(kind, attrs)) return;
    if (this._enforcer.isGated(span, node) || attrs[ATTR_COSTTRACE_PRICING_STATUS] === PRICING_STATUS_VALUE_DUPLICATE) return;
    const { traceId } = span.spanContext();
    const parent = node !== undefined ? node.parent : this._tree.openNode(traceId, span.parentSpanContext?.spanId);
    // Nested inside another model call's span (an SDK's own span under ours): that call owns the cost.
    if (this._finder.hasCallAncestor(parent)) return;
    const specs = this._finder.find(traceId, parent, undefined);
    if (specs.length === 0) return;
    // Priced once: by the cost processor in onEnding (on the node, or handed over); alone, by the same function here.
    const priced = node?.price;
    const handed = priced === undefined ? this._priced?.get(span) : undefined;
    const cost = priced ?? handed?.cost ?? priceCall(attrs, span.startTime ?? [0, 0], this._options.catalog, NO_SINK, undefined);
    // Already in the cost ledger's totals when the cost processor priced it (on the node, handed
    // over, or written on the span by a cost processor constructed on its own): a scope opened
    // now and seeded from the ledger holds it already.
    const inLedger = priced !== undefined || (handed ? handed.inLedger : attrs[ATTR_COSTTRACE_PRICING_STATUS] !== undefined);
    // One warning per client, at its first call under a budget, whatever that call cost.
    const client = foreignClient(span, attrs);
    const budget = specs[specs.length - 1]!.name;
    const opening = `a model call from ${client.label} ("${span.name}") ended under budget "${budget}" without passing the budget gate: `;
    if (!cost.costed) {
      this._warn.once(
        `ungated:${client.key}`,
        opening +
          'calls on that path are not refused or aborted before they spend, and are counted after the fact; ' +
          `this one could not be priced, so it is not counted (${cost.reason ?? cost.status}): ` +
          'add a price override for the models of calls marked costtrace.pricing.status=unpriced',
      );
      return;
    }
    this._enforcer.chargeAfterTheFact(specs, costPico(cost), inLedger);
    this._warn.once(
      `ungated:${client.key}`,
      opening + 'its cost is counted after the fact, but calls on that path are not refused or aborted before they spend',
    );
  }

  // The tree's TTL sweep (at most once per TTL) sweeps the budget scopes too.
  private _sweep(now: number): void {
    const dropped = this._enforcer.sweep(now);
    if (dropped > 0) {
      this._metrics.droppedState(dropped);
      this._warn.once('stale', `dropped state of ${dropped} spans or budget scopes open longer than ${this._options.staleAfterMs} ms`);
    }
  }

  private _dropped(openSpans: number, reason: DropReason, limit: number): void {
    this._metrics.droppedState(openSpans);
    if (reason === 'ttl') {
      this._warn.once('stale', `dropped state of ${openSpans} spans or budget scopes open longer than ${limit} ms`);
    } else {
      this._warn.once(
        'spans-full',
        `more than ${limit} spans are open; the oldest trace's spans are no longer tracked (or, in one growing trace, new spans are not), ` +
          'so budgets set on them or below them are not seen (raise maxOpenSpans, or look for spans that never end)',
      );
    }
  }
}

const NO_SINK = { set: () => {} };

