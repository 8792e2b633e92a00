import { BudgetExceededError, type CallResult, type CallTicket, type GateCall, type StoppedCallRef } from '@costtrace/pipeline';
import { picoToUsd } from '@costtrace/pricing';
import { ATTR_COSTTRACE_BUDGET_SAVED_USD, type TokenUsage } from '@costtrace/semconv';
import type { CallPricing } from './call-pricing';
import type { InflightCall, LocalScope } from './internal-types';
import { costPico } from './money';

/** What a ticket reports back to the enforcer. */
export interface TicketOwner {
  charge(ticket: BudgetTicket, runPico: bigint): void;
  /** True when the owner settles the call later, with the price of its ended span (see finish). */
  defer(ticket: BudgetTicket, result: CallResult): boolean;
  settle(ticket: BudgetTicket, costPico: bigint): void;
}

/**
 * One admitted call's hold on its scopes. Money, in pico-USD:
 * - `reservedPico`: the worst case reserved at `begin`;
 * - `runPico`: the priced running usage (actual spend so far);
 * - `heldPico` = max(reserved, run): what the call holds in every scope's `reservedPico`,
 *   so running usage beyond the reservation is charged as it arrives.
 */
export class BudgetTicket implements CallTicket, InflightCall {
  readonly model: string | undefined;
  aborted = false;
  /** The scope that aborted the call, once one has. */
  abortedBy: LocalScope | undefined;
  heldPico: bigint;
  runPico = 0n;
  private _ended = false;

  constructor(
    private readonly _owner: TicketOwner,
    readonly call: GateCall,
    readonly scopes: readonly LocalScope[],
    readonly keys: readonly string[],
    readonly reservedPico: bigint,
    private readonly _pricing: CallPricing,
    model: string | undefined,
    readonly callRef: StoppedCallRef,
    private readonly _askedPricing?: CallPricing,
  ) {
    this.model = model;
    this.heldPico = reservedPico;
  }

  get ended(): boolean {
    return this._ended;
  }

  onUsage(usage: TokenUsage): void {
    if (this._ended) return;
    const run = this._pricing.cost(usage);
    if (run !== undefined) this._owner.charge(this, run);
  }

  end(result: CallResult): void {
    if (this._ended) return;
    this._ended = true;
    if (!this._owner.defer(this, result)) this.finish(result, undefined);
  }

  /**
   * Settles the call. `priced` is the cost processor's price of the ended span: a call is priced
   * once, and its span and its budgets carry the same figure. Without it (no cost processor
   * wired in, a span not recorded) the call is priced here. Priced usage settles, whatever the
   * outcome (an aborted stream keeps its partial cost). No usage: released. Usage that cannot be
   * priced: the running cost already counted stands. A provider-reported cost settles as it is.
   */
  finish(result: CallResult, priced: { costed: boolean; fromProvider?: boolean; pico: number; bigPico: bigint } | undefined): void {
    let cost = 0n;
    // The provider's own figure is what it billed, whatever the gate's pricing policy assumed.
    if (priced?.costed === true && priced.fromProvider === true) cost = costPico(priced);
    else if (result.usage) {
      cost =
        priced?.costed && this._pricing.fromCatalog
          ? costPico(priced)
          : (this._pricing.cost(result.usage, result.responseModel) ?? this.runPico);
    }
    if (this._askedPricing && result.usage) this._recordSaving(result.usage, cost);
    this._owner.settle(this, cost);
  }

  private _recordSaving(usage: TokenUsage, cost: bigint): void {
    const asked = this._askedPricing!.cost(usage);
    if (asked !== undefined && asked > cost) this.call.span.setAttribute(ATTR_COSTTRACE_BUDGET_SAVED_USD, picoToUsd(asked - cost));
  }

  /**
   * Runs on the abort path: no awaits, one allocation (the error). True when the call was
   * stopped; false when it had ended, or its whole response had already arrived (the seam's
   * `abort` returns false then; an older seam returns nothing, taken as stopped).
   */
  abort(scope: LocalScope, spentPico: bigint, message?: string, action: 'aborted' | 'refused' = 'aborted'): boolean {
    if (this.aborted || this._ended) return false;
    // Set first: the seam may end the call synchronously, re-entering this ticket.
    this.aborted = true;
    this.abortedBy = scope;
    const stopped: unknown = this.call.abort(
      new BudgetExceededError({
        scope: scope.ref,
        limitUsd: scope.limitUsd,
        spentUsd: picoToUsd(spentPico),
        action,
        call: this.callRef,
        ...(message === undefined ? {} : { message }),
      }),
    );
    if (stopped !== false) return true;
    this.aborted = false;
    this.abortedBy = undefined;
    return false;
  }
}

/** The ticket of a call under no budget. */
export const NOOP_TICKET: CallTicket = Object.freeze({ abortable: false, end: () => {} });
