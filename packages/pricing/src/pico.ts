import { pow10, toExactDecimal } from './decimal';

const PICO_PER_USD = 1_000_000_000_000n;

/**
 * Exact decimal string of a pico-USD amount in USD, without trailing zeros: `4250000000000n` → `'4.25'`.
 */
export function picoToUsdString(pico: bigint | number): string {
  const value = typeof pico === 'bigint' ? pico : BigInt(Math.trunc(pico));
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / PICO_PER_USD;
  const frac = (abs % PICO_PER_USD).toString().padStart(12, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/**
 * A pico-USD amount as a USD double, the nearest one to the exact value. Convert only at the boundary
 * (an attribute, a display): sum in pico-USD with {@link addPico} or a `CostAccumulator`.
 */
export function picoToUsd(pico: bigint | number): number {
  if (typeof pico === 'number' && Number.isSafeInteger(pico)) return pico / 1e12;
  if (typeof pico === 'bigint' && pico <= 9007199254740991n && pico >= -9007199254740991n) {
    return Number(pico) / 1e12;
  }
  return Number(picoToUsdString(pico));
}

/** Exact sum of pico-USD amounts. */
export function addPico(...amounts: Array<bigint | undefined>): bigint {
  let sum = 0n;
  for (const amount of amounts) if (amount !== undefined) sum += amount;
  return sum;
}

/**
 * A USD amount as integer pico-USD: the decimal the number prints as (`String(0.0004215)`), not the
 * binary double, rounded once, half up, to the pico. Undefined for a negative or non-finite number.
 * For figures others hand over in USD (a provider-reported cost).
 */
export function usdToPico(usd: number): bigint | undefined {
  const exact = toExactDecimal(usd);
  if (!exact) return undefined;
  if (exact.decimals <= 12) return exact.mantissa * pow10(12 - exact.decimals);
  const unit = pow10(exact.decimals - 12);
  const whole = exact.mantissa / unit;
  return (exact.mantissa % unit) * 2n >= unit ? whole + 1n : whole;
}
