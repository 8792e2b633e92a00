/** An exact decimal: `mantissa × 10^-decimals`. */
export interface ExactDecimal {
  mantissa: bigint;
  decimals: number;
}

/**
 * The exact decimal a price number stands for: its shortest round-trip string
 * (`String(0.075) === '0.075'`), not the binary double (0.07499999999999999722…). Catalog prices are
 * written as decimals, so that is what they mean. Returns undefined for a negative or non-finite number.
 */
export function toExactDecimal(value: number): ExactDecimal | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  const text = String(value);
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) return undefined;
  const intPart = match[1] ?? '0';
  const fracPart = match[2] ?? '';
  const exponent = match[3] ? Number(match[3]) : 0;
  let mantissa = BigInt(intPart + fracPart);
  let decimals = fracPart.length - exponent;
  if (decimals < 0) {
    mantissa *= 10n ** BigInt(-decimals);
    decimals = 0;
  }
  return { mantissa, decimals };
}

/** 10^exp as BigInt, for small non-negative exponents. */
export function pow10(exp: number): bigint {
  return 10n ** BigInt(exp);
}
