import { pow10, toExactDecimal } from './decimal';
import type { CompiledPrices, RateLevel } from './internal-types';

export const SLOT_INPUT = 0;
export const SLOT_OUTPUT = 1;
export const SLOT_CACHE_READ = 2;
export const SLOT_CACHE_WRITE_5M = 3;
export const SLOT_CACHE_WRITE_1H = 4;
export const SLOT_INPUT_AUDIO = 5;
export const SLOT_OUTPUT_AUDIO = 6;
export const SLOT_REASONING = 7;
export const SLOT_REQUEST = 8;
const SLOT_COUNT = 9;

/** A long-context tiered price, as genai-prices writes it. */
export interface TieredSource {
  base: number;
  tiers: ReadonlyArray<{ start: number; price: number }>;
}

/** One price before compiling: USD per 10^perExp units (6 for MTok, 3 for kcount, 0 for each). */
export interface SlotSource {
  value: number | TieredSource;
  perExp: number;
}

/** The prices to compile, named by what they bill. Absent ones fall back as the catalog implies. */
export interface PriceSources {
  input?: SlotSource;
  output?: SlotSource;
  cacheRead?: SlotSource;
  /** Cache writes of unknown lifetime (genai-prices `cache_write_mtok`: Anthropic's 5-minute rate). */
  cacheWrite?: SlotSource;
  cacheWrite5m?: SlotSource;
  cacheWrite1h?: SlotSource;
  inputAudio?: SlotSource;
  outputAudio?: SlotSource;
  reasoning?: SlotSource;
  request?: SlotSource;
  /** Derive a missing 1-hour cache-write rate as 2× input (Anthropic's documented multiplier). */
  derive1hFromInput?: boolean;
}

/** Thrown internally for a price that is not a finite non-negative number; caught by the resolver. */
export class BadPriceError extends Error {}

/**
 * Compiles prices into integer rates per price level. A slot without a price takes the rate it is
 * billed at in genai-prices' unit tree: cache reads and writes at the input rate, a 1-hour write at
 * the generic cache-write rate, audio input at the input rate, reasoning and audio output at the
 * output rate, requests free.
 */
export function compilePrices(sources: PriceSources): CompiledPrices {
  const cacheWriteGeneric = sources.cacheWrite ?? sources.cacheWrite5m;
  const derived1h =
    sources.cacheWrite1h === undefined && sources.derive1hFromInput === true && cacheWriteGeneric !== undefined;
  const slots: Array<SlotSource | undefined> = new Array(SLOT_COUNT).fill(undefined);
  slots[SLOT_INPUT] = sources.input ?? { value: 0, perExp: 6 };
  slots[SLOT_OUTPUT] = sources.output ?? { value: 0, perExp: 6 };
  slots[SLOT_CACHE_READ] = sources.cacheRead ?? slots[SLOT_INPUT];
  slots[SLOT_CACHE_WRITE_5M] = sources.cacheWrite5m ?? sources.cacheWrite ?? slots[SLOT_INPUT];
  slots[SLOT_CACHE_WRITE_1H] = derived1h
    ? slots[SLOT_INPUT]
    : (sources.cacheWrite1h ?? sources.cacheWrite ?? sources.cacheWrite5m ?? slots[SLOT_INPUT]);
  slots[SLOT_INPUT_AUDIO] = sources.inputAudio ?? slots[SLOT_INPUT];
  slots[SLOT_OUTPUT_AUDIO] = sources.outputAudio ?? slots[SLOT_OUTPUT];
  slots[SLOT_REASONING] = sources.reasoning ?? slots[SLOT_OUTPUT];
  slots[SLOT_REQUEST] = sources.request ?? { value: 0, perExp: 0 };

  const thresholds = new Set<number>();
  for (const slot of slots) {
    if (slot && typeof slot.value === 'object') for (const tier of slot.value.tiers) thresholds.add(tier.start);
  }
  const levelThresholds = [-1, ...[...thresholds].sort((a, b) => a - b)];

  // Exact decimals of every price used at every level, and the scale that makes all of them integers.
  const decimals: Array<Array<{ mantissa: bigint; shift: number }>> = [];
  let scaleExp = 0;
  for (const threshold of levelThresholds) {
    const row: Array<{ mantissa: bigint; shift: number }> = [];
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const source = slots[slot] as SlotSource;
      const usd = priceAt(source.value, threshold);
      const exact = toExactDecimal(usd);
      if (!exact) throw new BadPriceError(`price ${String(usd)} is not a finite non-negative number`);
      // pico-USD per unit = mantissa × 10^(12 − perExp − decimals)
      const shift = 12 - source.perExp - exact.decimals;
      if (-shift > scaleExp) scaleExp = -shift;
      row.push({ mantissa: exact.mantissa, shift });
    }
    decimals.push(row);
  }

  let fast = scaleExp === 0;
  const levels: RateLevel[] = levelThresholds.map((thresholdTokens, index) => {
    const row = decimals[index] as Array<{ mantissa: bigint; shift: number }>;
    const b = row.map(({ mantissa, shift }) => mantissa * pow10(shift + scaleExp));
    if (derived1h) b[SLOT_CACHE_WRITE_1H] = 2n * (b[SLOT_INPUT] as bigint);
    const n = b.map((rate) => {
      if (rate > BigInt(Number.MAX_SAFE_INTEGER)) fast = false;
      return Number(rate);
    });
    return { thresholdTokens, n, b };
  });
  return { scaleExp, fast, levels, derived1h };
}

/** The price genai-prices applies when all input is `threshold + 1` tokens: the last tier it is above. */
function priceAt(value: number | TieredSource, threshold: number): number {
  if (typeof value === 'number') return value;
  let price = value.base;
  let bestStart = -Infinity;
  for (const tier of value.tiers) {
    if (threshold >= tier.start && tier.start > bestStart) {
      price = tier.price;
      bestStart = tier.start;
    }
  }
  return price;
}

/**
 * Compiled prices times an exact decimal `multiplier` (`'0.5'`, `'2'`): every rate of every level is
 * multiplied exactly, at a finer scale when the product needs one (brought back down when every
 * rate allows it, so a halved catalog price usually stays on the fast path).
 */
export function scaleCompiled(prices: CompiledPrices, multiplier: string): CompiledPrices {
  const exact = toExactDecimal(Number(multiplier));
  if (!exact) throw new BadPriceError(`multiplier ${multiplier} is not a finite non-negative number`);
  let scaleExp = prices.scaleExp + exact.decimals;
  let rows = prices.levels.map((level) => level.b.map((rate) => rate * exact.mantissa));
  while (scaleExp > 0 && rows.every((row) => row.every((rate) => rate % 10n === 0n))) {
    rows = rows.map((row) => row.map((rate) => rate / 10n));
    scaleExp -= 1;
  }
  let fast = scaleExp === 0;
  const levels: RateLevel[] = prices.levels.map((level, index) => {
    const b = rows[index] as bigint[];
    const n = b.map((rate) => {
      if (rate > BigInt(Number.MAX_SAFE_INTEGER)) fast = false;
      return Number(rate);
    });
    return { thresholdTokens: level.thresholdTokens, n, b };
  });
  return { scaleExp, fast, levels, derived1h: prices.derived1h };
}

/**
 * Long-context levels from whole price sets: `base` below every threshold, each tier's prices once
 * all input is above its `thresholdTokens` (as the catalog's tiered prices bill). Every set keeps its
 * own fallbacks (a tier without a cache-read price bills cache reads at the tier's input rate).
 */
export function combineLevels(base: CompiledPrices, tiers: ReadonlyArray<{ thresholdTokens: number; compiled: CompiledPrices }>): CompiledPrices {
  const sorted = [...tiers].sort((a, b) => a.thresholdTokens - b.thresholdTokens);
  const sets = [{ thresholdTokens: -1, compiled: base }, ...sorted];
  const scaleExp = Math.max(...sets.map((set) => set.compiled.scaleExp));
  let fast = scaleExp === 0;
  const levels: RateLevel[] = sets.map(({ thresholdTokens, compiled }) => {
    const factor = pow10(scaleExp - compiled.scaleExp);
    const b = (compiled.levels[0] as RateLevel).b.map((rate) => rate * factor);
    const n = b.map((rate) => {
      if (rate > BigInt(Number.MAX_SAFE_INTEGER)) fast = false;
      return Number(rate);
    });
    return { thresholdTokens, n, b };
  });
  return { scaleExp, fast, levels, derived1h: false };
}
