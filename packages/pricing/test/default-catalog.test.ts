import { describe, expect, it } from 'vitest';
import { estimateMaxCost, getDefaultCatalog, PriceCatalog, priceCall } from '../src/index';

describe('the default catalog', () => {
  it('is created once, on first use, and backs priceCall and estimateMaxCost', () => {
    expect(getDefaultCatalog()).toBe(getDefaultCatalog());
    // claude-haiku-4-5: 300_000 × 1_000_000 + 80_000 × 5_000_000
    expect(priceCall({ provider: 'anthropic', model: 'claude-haiku-4-5', usage: { inputTokens: 300_000, outputTokens: 80_000 } }).totalPico).toBe(
      700_000_000_000n,
    );
    expect(estimateMaxCost({ provider: 'anthropic', model: 'claude-haiku-4-5', inputTokens: 300_000, maxOutputTokens: 80_000 }).totalPico).toBe(
      700_000_000_000n,
    );
  });
});

describe('the resolution cache', () => {
  it('stays within maxCacheEntries and keeps pricing correctly past it', () => {
    const catalog = new PriceCatalog({ overridesFile: '', maxCacheEntries: 2 });
    const usage = { inputTokens: 1_000_000, outputTokens: 0 };
    const models = ['gpt-4o', 'gpt-4o-mini', 'gpt-5', 'gpt-4o'];
    const totals = models.map((model) => catalog.price({ provider: 'openai', model, usage }).totalPico);
    // $2.50, $0.15, $1.25, $2.50 per 1M input
    expect(totals).toEqual([2_500_000_000_000n, 150_000_000_000n, 1_250_000_000_000n, 2_500_000_000_000n]);
    expect(catalog.cacheStats().entries).toBeLessThanOrEqual(2);
    expect(catalog.cacheStats().modelResolutions).toBe(4);
  });

  it('runs match logic once per (provider, model, tier), however many calls', () => {
    const catalog = new PriceCatalog({ overridesFile: '' });
    for (let i = 0; i < 1_000; i++) catalog.price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: i, outputTokens: i } });
    expect(catalog.cacheStats().modelResolutions).toBe(1);
  });

  it('warns and uses the default for a bad maxCacheEntries', () => {
    const warnings: string[] = [];
    new PriceCatalog({ overridesFile: '', maxCacheEntries: -5, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual(['PriceCatalog: maxCacheEntries must be a positive integer; using 10000']);
  });
});
