import { picoToUsd } from './pico';
import type { PriceResult } from './types';

/**
 * Exact running total of call costs in integer pico-USD. A million tiny calls sum to what exact
 * decimal arithmetic gives; unpriced and invalid calls are counted, never added as $0.
 */
export class CostAccumulator {
  private _totalPico = 0n;
  private _priced = 0;
  private _unpriced = 0;
  private _invalid = 0;

  /** Adds a priced result's total (counts an unpriced or invalid one), or a raw pico-USD amount. */
  add(cost: PriceResult | bigint): this {
    if (typeof cost === 'bigint') {
      this._totalPico += cost;
      this._priced += 1;
    } else if (cost.status === 'priced' && cost.totalPico !== undefined) {
      this._totalPico += cost.totalPico;
      this._priced += 1;
    } else if (cost.status === 'invalid') {
      this._invalid += 1;
    } else {
      this._unpriced += 1;
    }
    return this;
  }

  /** Exact total in pico-USD. */
  get totalPico(): bigint {
    return this._totalPico;
  }

  /** Total as a USD double (converted once, here). */
  get totalUsd(): number {
    return picoToUsd(this._totalPico);
  }

  /** Priced results (and raw amounts) added. */
  get pricedCount(): number {
    return this._priced;
  }

  /** Unpriced results seen: the total does not cover them. */
  get unpricedCount(): number {
    return this._unpriced;
  }

  /** Invalid results seen: the total does not cover them. */
  get invalidCount(): number {
    return this._invalid;
  }
}
