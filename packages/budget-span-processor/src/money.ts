import { isUsdAmount, isWarnRatio, MAX_USD } from '@costtrace/pipeline';

/**
 * USD (a finite, non-negative double no larger than {@link MAX_USD}) to integer pico-USD, from the
 * decimal it prints as to 12 places. Anything else is a bug upstream (limits are validated where
 * they are read): it throws a RangeError naming the value rather than guessing.
 */
export function usdToPico(usd: number): bigint {
  if (!isUsdAmount(usd)) throw new RangeError(`${String(usd)} is not a USD amount in [0, ${MAX_USD}]`);
  const [whole = '0', frac = ''] = usd.toFixed(12).split('.');
  return BigInt(whole) * 1_000_000_000_000n + BigInt(frac.padEnd(12, '0') || '0');
}

/** `pico × ratio`, rounded down, for a ratio in (0, 1] given to six decimals. */
export function scalePico(pico: bigint, ratio: number): bigint {
  return (pico * BigInt(Math.round(ratio * 1_000_000))) / 1_000_000n;
}

export { MAX_USD };

/** Whether `value` is a usable USD amount: a finite, non-negative number no larger than {@link MAX_USD}. */
export const isUsd = isUsdAmount;

/** Whether `value` is a usable warn ratio: a number in (0, 1]. */
export const isRatio = isWarnRatio;

/** A call's cost as the cost processor priced it, in pico-USD. */
export function costPico(cost: { pico: number; bigPico: bigint }): bigint {
  return cost.bigPico + BigInt(cost.pico);
}
