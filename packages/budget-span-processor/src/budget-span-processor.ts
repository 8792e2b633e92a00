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
import { isModelCallSpan, priceCall, type PricedCalls } from '@costtrace/cost-span-processor';
import { costPico } from './money';
import { BudgetEnforcer } from './budget-enforcer';
import { BudgetMetrics } from './budget-metrics';
import type { SpanEntry } from './internal-types';
import { resolveOptions, type ResolvedOptions } from './options';
import { ScopeFinder, scopeKey } from './scope-finder';
import { SpanRegistry } from './span-registry';
import type { BudgetSpanProcessorOptions, ProcessorReadableSpan, ProcessorSpan } from './types';
import { WarnOnce } from './warn-once';

const SWEEP_EVERY_MS = 60_000;

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
 * the call gate. Constructed on its own, it installs itself as the call gate at once (as it always did);
 * `shutdown()` removes it.
 */
export class BudgetSpanProcessor implements CallGate {
  private readonly _options: ResolvedOptions;
  private readonly _registry: SpanRegistry;
  private readonly _finder: ScopeFinder;
  private readonly _enforcer: BudgetEnforcer;
  private readonly _metrics: BudgetMetrics;
  private readonly _warn = new WarnOnce();
  private _removeGate: (() => void) | undefined;
  private _lastSweepMs = Date.now();
  private _onEndingMissing = false;
  private _shutdown = false;

  private readonly _priced: PricedCalls | undefined;

  /**
   * @param options see {@link BudgetSpanProcessorOptions}
   * @param link shared state handed to both processors by `createCostProcessors`: each call's
   *   price as the cost processor computed it, so a call is priced once
   */
  constructor(options: BudgetSpanProcessorOptions = {}, link: { pricedCalls?: PricedCalls; managed?: boolean } = {}) {
    this._priced = link.pricedCalls;
    this._options = resolveOptions(options, process.env);
    this._registry = new SpanRegistry(this._options.maxOpenSpans, this._options.staleAfterMs);
    this._finder = new ScopeFinder(this._registry, this._options, this._warn);
    this._metrics = new BudgetMetrics(this._options.meterProvider);
    this._enforcer = new BudgetEnforcer(this._options, this._registry, this._finder, this._metrics, this._warn, this._priced !== undefined);
    // Constructed on its own (as before createCostProcessors existed): installed at once, so a
    // budget holds even when no span is ever recorded (a sampler that drops everything).
    if (link.managed !== true) this.installGate();
  }

  /**
   * Makes this processor the process's call gate; returns a function that removes it.
   * `createCostProcessors().install()` calls it; a processor constructed on its own calls it in its
   * constructor.
   */
  installGate(): () => void {
    const remove = setCallGate(this);
    this._removeGate = remove;
    return remove;
  }

  /** @see CallGate.begin — runs synchronously before a model call is sent; throws BudgetExceededError to refuse it. */
  begin(call: GateCall): CallTicket {
    return this._enforcer.begin(call);
  }

  onStart(span: ProcessorSpan, _parentContext: Context): void {
    try {
      if (this._shutdown) return;
      const now = Date.now();
      if (now - this._lastSweepMs > Math.min(SWEEP_EVERY_MS, this._options.staleAfterMs)) this._sweep(now);
      if (!this._registry.add(span, now)) {
        this._metrics.droppedState(1);
        this._warn.once(
          'spans-full',
          `more than ${this._options.maxOpenSpans} spans are open; new spans are not tracked, so budgets set on them ` +
            'or below them are not seen (raise maxOpenSpans, or look for spans that never end)',
        );
      }
    } catch (err) {
      diag.error('BudgetSpanProcessor: onStart failed', err);
    }
  }

  /** Writes the budget outcome on a budget span while it can still be written (sdk-trace-base >= 2.3). */
  onEnding(span: ProcessorSpan): void {
    try {
      const entry = this._registry.of(span);
      if (entry) entry.endingSeen = true;
      this._enforcer.settlePending(span, this._priced?.take(span)?.cost);
      this._writeOutcome(span, entry, true);
    } catch (err) {
      diag.error('BudgetSpanProcessor: onEnding failed', err);
    }
  }

  onEnd(span: ProcessorReadableSpan): void {
    try {
      const entry = this._registry.of(span);
      this._enforcer.settlePending(span, this._priced?.take(span)?.cost);
      if (entry && !entry.endingSeen) {
        if (!this._onEndingMissing) {
          this._onEndingMissing = true;
          diag.warn(
            'BudgetSpanProcessor: the tracer provider does not call onEnding (@opentelemetry/sdk-trace-base < 2.3); ' +
              'budgets are enforced, but costtrace.budget.* outcome attributes are not written on budget spans (metrics and events still are)',
          );
        }
        this._writeOutcome(span, entry, false);
      }
      this._chargeUninstrumented(span, entry);
      const { traceId, spanId } = span.spanContext();
      this._enforcer.closeScope(scopeKey(traceId, spanId));
      if (entry) this._registry.remove(entry);
    } catch (err) {
      diag.error('BudgetSpanProcessor: onEnd failed', err);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (!this._shutdown) {
      this._shutdown = true;
      this._removeGate?.();
      this._registry.clear();
      this._enforcer.clear();
    }
    return Promise.resolve();
  }

  private _writeOutcome(span: ProcessorReadableSpan, entry: SpanEntry | undefined, writable: boolean): void {
    const { traceId, spanId } = span.spanContext();
    const scope = this._enforcer.scope(scopeKey(traceId, spanId));
    const budget = entry ? this._finder.budgetOf(entry) : undefined;
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
  private _chargeUninstrumented(span: ProcessorReadableSpan, entry: SpanEntry | undefined): void {
    const attrs = span.attributes;
    if (this._enforcer.isGated(span) || attrs[ATTR_COSTTRACE_PRICING_STATUS] === PRICING_STATUS_VALUE_DUPLICATE) return;
    if (!isModelCallSpan(attrs, span.name)) return;
    const { traceId } = span.spanContext();
    const parentId = entry ? entry.parentId : span.parentSpanContext?.spanId;
    // Nested inside another model call's span (an SDK's own span under ours): that call owns the cost.
    if (this._finder.hasCallAncestor(traceId, parentId)) return;
    const specs = this._finder.find(traceId, parentId, undefined);
    if (specs.length === 0) return;
    // Priced once: by the cost processor in onEnding, handed over; alone, by the same function here.
    const handed = this._priced?.take(span);
    const cost = handed?.cost ?? priceCall(attrs, span.startTime ?? [0, 0], this._options.catalog, NO_SINK, undefined);
    // Already in the cost ledger's totals when the cost processor priced it (handed over, or
    // written on the span by a cost processor constructed on its own): a scope opened now and
    // seeded from the ledger holds it already.
    const inLedger = handed ? handed.inLedger : attrs[ATTR_COSTTRACE_PRICING_STATUS] !== undefined;
    const source = (span as { instrumentationScope?: { name?: string } }).instrumentationScope?.name ?? 'unknown';
    if (!cost.costed) {
      this._warn.once(
        `uninstrumented-unpriced:${source}`,
        `a model call from "${source}" ("${span.name}") ended under budget "${specs[specs.length - 1]!.name}" without passing ` +
          'the budget gate, and its cost could not be priced: it is not counted against the budget',
      );
      return;
    }
    this._enforcer.chargeAfterTheFact(specs, costPico(cost), inLedger);
    this._warn.once(
      `uninstrumented:${source}`,
      `a model call from "${source}" ("${span.name}") ended under budget "${specs[specs.length - 1]!.name}" without passing ` +
        'the budget gate: its cost is counted after the fact, but calls on that path are not refused or aborted before they spend',
    );
  }

  private _sweep(now: number): void {
    this._lastSweepMs = now;
    const dropped = this._registry.sweep(now) + this._enforcer.sweep(now);
    if (dropped > 0) {
      this._metrics.droppedState(dropped);
      this._warn.once('stale', `dropped state of ${dropped} spans or budget scopes open longer than ${this._options.staleAfterMs} ms`);
    }
  }
}

const NO_SINK = { set: () => {} };

