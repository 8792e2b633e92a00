import type { ModelInfo, ModelPrice } from '@pydantic/genai-prices';
import { BadPriceError, compilePrices } from './compile-prices';
import type { PriceSources, SlotSource, TieredSource } from './compile-prices';
import type { CompiledPrices, PriceVariant } from './internal-types';
import { normalizeConstraint } from './price-windows';

/** genai-prices price keys priced from token usage, and what they bill. */
const TOKEN_KEYS: ReadonlyArray<[string, keyof PriceSources, number]> = [
  ['input_mtok', 'input', 6],
  ['output_mtok', 'output', 6],
  ['cache_read_mtok', 'cacheRead', 6],
  ['cache_write_mtok', 'cacheWrite', 6],
  ['cache_write_5m_mtok', 'cacheWrite5m', 6],
  ['cache_write_1h_mtok', 'cacheWrite1h', 6],
  ['input_audio_mtok', 'inputAudio', 6],
  ['output_audio_mtok', 'outputAudio', 6],
  ['output_reasoning_mtok', 'reasoning', 6],
  ['requests_kcount', 'request', 3],
];

/** Whether a model has token prices at all (some are priced only by audio hours, pages or searches). */
export function hasTokenPrices(model: ModelInfo): boolean {
  const variants = Array.isArray(model.prices) ? model.prices.map((p) => p.prices) : [model.prices];
  return variants.some((prices) => prices.input_mtok !== undefined || prices.output_mtok !== undefined);
}

/**
 * Compiles a catalog model's prices, one variant per conditional price. `derive1h` asks for a missing
 * 1-hour cache-write rate to be derived as 2× input (Claude on Bedrock and Vertex lacks it in the catalog).
 */
export function compileCatalogModel(
  model: ModelInfo,
  derive1h: boolean,
  cache: WeakMap<object, CompiledPrices>,
): PriceVariant[] {
  const conditional = Array.isArray(model.prices) ? model.prices : [{ prices: model.prices }];
  const variants: PriceVariant[] = [];
  for (const entry of conditional) {
    const constraint = normalizeConstraint(entry.constraint);
    // An unknown constraint never holds, so its price is never chosen; genai-prices would throw.
    if (constraint === 'invalid') continue;
    variants.push({ constraint, compiled: compileModelPrice(entry.prices, derive1h, cache) });
  }
  if (variants.length === 0) throw new BadPriceError(`no usable price for ${model.id}`);
  return variants;
}

function compileModelPrice(prices: ModelPrice, derive1h: boolean, cache: WeakMap<object, CompiledPrices>): CompiledPrices {
  const cached = cache.get(prices);
  // A prices object belongs to one model, so `derive1h` is the same on every call for it.
  if (cached) return cached;
  const sources: PriceSources = { derive1hFromInput: derive1h };
  for (const [key, slot, perExp] of TOKEN_KEYS) {
    const value = prices[key];
    if (value === undefined) continue;
    (sources as Record<string, SlotSource>)[slot] = { value: toPriceValue(key, value), perExp };
  }
  const compiled = compilePrices(sources);
  cache.set(prices, compiled);
  return compiled;
}

function toPriceValue(key: string, value: unknown): number | TieredSource {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null) {
    const tiered = value as { base?: unknown; tiers?: unknown };
    if (
      typeof tiered.base === 'number' &&
      Array.isArray(tiered.tiers) &&
      tiered.tiers.every(
        (t: unknown) =>
          typeof t === 'object' && t !== null &&
          Number.isSafeInteger((t as { start?: unknown }).start) &&
          typeof (t as { price?: unknown }).price === 'number',
      )
    ) {
      return { base: tiered.base, tiers: tiered.tiers as TieredSource['tiers'] };
    }
  }
  throw new BadPriceError(`catalog price ${key} is neither a number nor tiered prices`);
}
