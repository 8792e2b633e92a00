import type { OverridePrices } from './types';

/**
 * costtrace's own service-tier rates, for tiers genai-prices 0.1.8 does not price (it has no OpenAI
 * or Anthropic batch, flex or priority rates). Written from the providers' pricing pages as read in
 * October 2025, without network access to check them again when this table was written: the rates
 * marked `confirmed: false` are the ones to check first. A user override for the tier wins over
 * every rate here (`PriceOverride.serviceTier`).
 */
export const SERVICE_TIER_TABLE_VERSION = 'costtrace-service-tiers@2025-10';

export const OPENAI_PRICING_URL = 'https://platform.openai.com/docs/pricing (read 2025-10)';
export const OPENAI_FLEX_URL = 'https://platform.openai.com/docs/guides/flex-processing (read 2025-10)';
export const ANTHROPIC_BATCH_URL = 'https://docs.anthropic.com/en/docs/build-with-claude/batch-processing#pricing (read 2025-10)';

/** One rule: the tier's rates for some models of one provider. */
export interface ServiceTierRule {
  /** genai-prices provider id the call was asked of (`openai`, `anthropic`). */
  provider: string;
  /** The tier as the response reports it, lowercase. */
  tier: string;
  /** Catalog model ids it prices; undefined for every model of the provider. */
  models?: readonly string[];
  /** A multiple of the catalog's standard rates (every part: input, cache, output), as a decimal string. */
  multiplier?: string;
  /** Absolute rates (USD per million tokens), when the tier is not a plain multiple. */
  prices?: OverridePrices;
  /** Where the rate comes from. */
  source: string;
  /** False when the rate is costtrace's assumption rather than a published figure. */
  published: boolean;
}

// OpenAI's Priority processing rates are per model and not one multiple of the standard ones
// (gpt-5: 2×, gpt-4.1: 1.75×, gpt-4o: 1.7×), so they are written out.
const priority = (models: string[], input: number, cacheRead: number, output: number): ServiceTierRule => ({
  provider: 'openai',
  tier: 'priority',
  models,
  prices: { inputPerMTok: input, cacheReadPerMTok: cacheRead, outputPerMTok: output },
  source: OPENAI_PRICING_URL,
  published: true,
});

/** Checked in order; the first rule for the provider, tier and model wins. */
export const SERVICE_TIER_RULES: readonly ServiceTierRule[] = [
  priority(['gpt-5', 'gpt-5.1'], 2.5, 0.25, 20),
  priority(['gpt-5-mini'], 0.45, 0.045, 3.6),
  priority(['gpt-4.1', 'o3'], 3.5, 0.875, 14),
  priority(['gpt-4.1-mini'], 0.7, 0.175, 2.8),
  priority(['gpt-4.1-nano'], 0.2, 0.05, 0.8),
  priority(['gpt-4o'], 4.25, 2.125, 17),
  priority(['gpt-4o-mini'], 0.25, 0.125, 1),
  priority(['o4-mini'], 2, 0.5, 8),
  // A model the table does not list: the gpt-5 family's ratio, so a budget is not under-charged.
  { provider: 'openai', tier: 'priority', multiplier: '2', source: `assumed: 2x standard, as for gpt-5 on ${OPENAI_PRICING_URL}`, published: false },
  // "Flex processing ... priced at Batch API rates" (50% of standard), cached input included.
  { provider: 'openai', tier: 'flex', multiplier: '0.5', source: OPENAI_FLEX_URL, published: true },
  { provider: 'openai', tier: 'batch', multiplier: '0.5', source: OPENAI_PRICING_URL, published: true },
  // The Message Batches API bills 50% of standard; the discount stacks with prompt caching.
  { provider: 'anthropic', tier: 'batch', multiplier: '0.5', source: ANTHROPIC_BATCH_URL, published: true },
  // Not here, on purpose: OpenAI `scale` (prepaid capacity units, not billed per token) and Anthropic
  // `priority` (a committed-spend contract with no public per-token rate). Those are priced at
  // standard rates and flagged `serviceTierPriced: false`; add an override with your contract's rates.
];

/** The first rule for (catalog provider, tier, catalog model), if any. */
export function findServiceTierRule(provider: string, tier: string, model: string): ServiceTierRule | undefined {
  return SERVICE_TIER_RULES.find(
    (rule) => rule.provider === provider && rule.tier === tier && (rule.models === undefined || rule.models.includes(model)),
  );
}
