import type { Attributes, ObservableResult } from '@opentelemetry/api';

/** Attribute sets kept per counter; past it new sets go to one overflow set, as the SDK's own cardinality limit does. */
const MAX_SETS = 2000;
const OVERFLOW: Attributes = Object.freeze({ 'otel.metric.overflow': true });

interface Sum {
  readonly attributes: Attributes;
  /** Integer units (pico-USD, calls, spans): exact. */
  units: number;
  bigUnits: bigint;
}

/**
 * A monotonic counter summed here, per attribute set, in plain integers, and reported through an
 * observable counter when a reader collects: recording costs one map lookup and an addition, not
 * the metrics SDK's attribute hashing per record, and totals stay exact (integer units, BigInt
 * past 2^53), converted to the reported unit only at collection.
 */
export class CounterSums {
  private readonly _sums = new Map<string, Sum>();

  /** @param _toValue the reported value of a total (pico-USD → USD; a count as it is) */
  constructor(private readonly _toValue: (units: number | bigint) => number = Number) {}

  /** Adds `units` (a non-negative safe integer) and `big` to the set named `key` (a string that identifies `attributes`). */
  add(key: string, attributes: () => Attributes, units: number, big = 0n): void {
    let sum = this._sums.get(key);
    if (sum === undefined) {
      if (this._sums.size >= MAX_SETS) {
        key = '\u0000overflow';
        sum = this._sums.get(key);
      }
      if (sum === undefined) {
        sum = { attributes: key === '\u0000overflow' ? OVERFLOW : attributes(), units: 0, bigUnits: 0n };
        this._sums.set(key, sum);
      }
    }
    const next = sum.units + units;
    if (next <= Number.MAX_SAFE_INTEGER) sum.units = next;
    else {
      sum.bigUnits += BigInt(sum.units) + BigInt(units);
      sum.units = 0;
    }
    if (big !== 0n) sum.bigUnits += big;
  }

  /** Reports every total (the observable counter's callback). */
  observe(result: ObservableResult): void {
    for (const sum of this._sums.values()) {
      result.observe(this._toValue(sum.bigUnits === 0n ? sum.units : sum.bigUnits + BigInt(sum.units)), sum.attributes);
    }
  }
}
