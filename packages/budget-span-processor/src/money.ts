/** USD (a finite, non-negative double) to integer pico-USD, from the decimal it prints as to 12 places. */
export function usdToPico(usd: number): bigint {
  const [whole = '0', frac = ''] = usd.toFixed(12).split('.');
  return BigInt(whole) * 1_000_000_000_000n + BigInt(frac.padEnd(12, '0') || '0');
}

/** `pico × ratio`, rounded down, for a ratio in (0, 1] given to six decimals. */
export function scalePico(pico: bigint, ratio: number): bigint {
  return (pico * BigInt(Math.round(ratio * 1_000_000))) / 1_000_000n;
}

/** The largest budget taken as a number: beyond it (1e12 USD) a limit is not a real budget. */
export const MAX_USD = 1e12;

/** Whether `value` is a usable USD amount: a finite, non-negative number no larger than {@link MAX_USD}. */
export function isUsd(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_USD;
}

/** Whether `value` is a usable warn ratio: a number in (0, 1]. */
export function isRatio(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && value <= 1;
}
