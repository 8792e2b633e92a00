import type { CallCost } from './price-call';

/** A call's price as the cost processor computed it, for the budget processor to settle with. */
export interface PricedCall {
  readonly cost: CallCost;
  /** Rolled into the cost ledger's subtree totals (false for a span whose state was not held). */
  readonly inLedger: boolean;
}

/**
 * The hand-off between the two processors for an ending span the shared tree does not hold (past
 * its bound): the cost processor prices each model call once, in `onEnding`, and records the
 * result here (a span in the tree carries it on its node instead); the budget processor, whose
 * hooks run after it for the same span, settles the call's budgets with that same figure instead
 * of pricing it again. Built once and handed to both processors (see `createCostProcessors`);
 * keyed weakly by span, so an entry goes with its span.
 */
export class PricedCalls {
  private readonly _calls = new WeakMap<object, PricedCall>();

  record(span: object, cost: CallCost, inLedger: boolean): void {
    this._calls.set(span, { cost, inLedger });
  }

  /** The price recorded for `span`, or undefined when the cost processor did not price it. */
  get(span: object): PricedCall | undefined {
    return this._calls.get(span);
  }
}
