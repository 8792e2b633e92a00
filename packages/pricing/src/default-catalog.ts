import { PriceCatalog } from './price-catalog';
import type { CostEstimate, CostEstimateRequest, PricedCall, PriceResult } from './types';

// The one default instance, created on first use so COSTTRACE_PRICES_FILE is read then, not at import.
// A package loaded twice (ESM and CJS) gets two equal catalogs: harmless, they hold no spend.
let defaultCatalog: PriceCatalog | undefined;

/** The shared catalog: bundled genai-prices data plus the overrides file named by `COSTTRACE_PRICES_FILE`. */
export function getDefaultCatalog(): PriceCatalog {
  defaultCatalog ??= new PriceCatalog();
  return defaultCatalog;
}

/** Prices one call with the default catalog. */
export function priceCall(call: PricedCall): PriceResult {
  return getDefaultCatalog().price(call);
}

/** The worst-case cost of a call before it is sent, with the default catalog. */
export function estimateMaxCost(request: CostEstimateRequest): CostEstimate {
  return getDefaultCatalog().estimateMaxCost(request);
}
