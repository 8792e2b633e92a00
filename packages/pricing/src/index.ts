export { PriceCatalog } from './price-catalog';
export { getDefaultCatalog, priceCall, estimateMaxCost } from './default-catalog';
export { CostAccumulator } from './cost-accumulator';
export { addPico, picoToUsd, picoToUsdString, usdToPico } from './pico';
export { BUNDLED_PRICE_VERSION, GENAI_PRICES_VERSION } from './bundled-catalog';
export { PRICES_FILE_ENV } from './overrides';
export { catalogProviderAlias } from './provider-names';
export type {
  CallRates,
  CostBreakdown,
  CostEstimate,
  CostEstimateRequest,
  ModelPattern,
  OverridePrices,
  PriceCacheStats,
  PriceCatalogOptions,
  PricedCall,
  PriceOverride,
  PriceResult,
  PriceStatus,
  TokenUsage,
} from './types';
