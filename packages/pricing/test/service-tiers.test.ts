import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../src/index';

const catalog = new PriceCatalog({ overridesFile: '' });
const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
const TABLE = 'costtrace-service-tiers@2025-10';

describe('service tiers the catalog lacks are priced from costtrace table, as billed', () => {
  it.each([
    // OpenAI Priority processing, per model: gpt-5 $2.50/$20 (2x), gpt-4o $4.25/$17 (1.7x), gpt-4.1 $3.50/$14
    ['gpt-5', 22_500_000_000_000n],
    ['gpt-5-2025-08-07', 22_500_000_000_000n],
    ['gpt-4o', 21_250_000_000_000n],
    ['gpt-4.1', 17_500_000_000_000n],
    ['gpt-4o-mini', 1_250_000_000_000n],
  ])('priority on %s at its published rate', (model, total) => {
    const result = catalog.price({ provider: 'openai', model, usage, serviceTier: 'priority' });
    expect(result).toMatchObject({ status: 'priced', totalPico: total, serviceTier: 'priority', serviceTierPriced: true, priceVersion: TABLE });
    expect(result.reason).toBeUndefined();
    expect(result.notes).toEqual([
      "'priority' service tier priced at rates from costtrace's service-tier table (source: https://platform.openai.com/docs/pricing (read 2025-10))",
    ]);
  });

  it('bills cached input at the priority cache-read rate', () => {
    // gpt-5 priority: 600_000 × $2.50 + 400_000 cached × $0.25 + 1_000 × $20 per MTok
    const result = catalog.price({ provider: 'openai', model: 'gpt-5', serviceTier: 'priority', usage: { inputTokens: 1_000_000, cacheReadTokens: 400_000, outputTokens: 1_000 } });
    expect(result.breakdown).toEqual({ inputPico: 1_500_000_000_000n, cacheReadPico: 100_000_000_000n, outputPico: 20_000_000_000n, cacheWritePico: 0n, requestPico: 0n });
  });

  it('prices priority on a model the table does not list at 2x standard, saying it is assumed', () => {
    // gpt-5-nano standard $0.05/$0.40 → $0.10 + $0.80
    const result = catalog.price({ provider: 'openai', model: 'gpt-5-nano', usage, serviceTier: 'priority' });
    expect(result).toMatchObject({ totalPico: 900_000_000_000n, serviceTierPriced: true, priceVersion: `genai-prices@0.1.8+${TABLE}` });
    expect(result.reason).toBe(
      "no published 'priority' service-tier rate for gpt-5-nano in costtrace's table; priced at 2x the standard rates (assumed: 2x standard, as for gpt-5 on https://platform.openai.com/docs/pricing (read 2025-10))",
    );
  });

  it.each(['flex', 'batch', 'FLEX'])('prices OpenAI %s at half the standard rates, cached input included', (serviceTier) => {
    // gpt-5 $1.25/$0.125/$10 → 900_000 × 625_000 + 100_000 × 62_500 + 1_000_000 × 5_000_000
    const result = catalog.price({ provider: 'openai', model: 'gpt-5', serviceTier, usage: { inputTokens: 1_000_000, cacheReadTokens: 100_000, outputTokens: 1_000_000 } });
    expect(result).toMatchObject({ totalPico: 5_568_750_000_000n, serviceTier: serviceTier.toLowerCase(), serviceTierPriced: true, priceVersion: `genai-prices@0.1.8+${TABLE}` });
    expect(result.reason).toBeUndefined();
  });

  it('halves a price with an odd last digit exactly (o4-mini cached input $0.275 → $0.1375)', () => {
    const result = catalog.price({ provider: 'openai', model: 'o4-mini', serviceTier: 'flex', usage: { inputTokens: 3, cacheReadTokens: 3, outputTokens: 0 } });
    // 3 × 137_500 pico
    expect(result.totalPico).toBe(412_500n);
  });

  it('keeps the catalog time variants under a multiplier (o3 before and after its 2025-06-10 price cut)', () => {
    const before = catalog.price({ provider: 'openai', model: 'o3', usage, serviceTier: 'flex', time: Date.UTC(2025, 5, 1) });
    const after = catalog.price({ provider: 'openai', model: 'o3', usage, serviceTier: 'flex', time: Date.UTC(2025, 6, 1) });
    expect([before.totalPico, after.totalPico]).toEqual([25_000_000_000_000n, 5_000_000_000_000n]);
  });

  it('prices Anthropic batch at half, long-context tier and cache writes included', () => {
    // claude-sonnet-4-5 above 200K: $6 in / $22.50 out / $7.50 cache write → halved: 3 / 11.25 / 3.75
    // 250_000 input of which 50_000 written: 200_000 × 3_000_000 + 50_000 × 3_750_000 + 10_000 × 11_250_000
    const result = catalog.price({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      serviceTier: 'batch',
      usage: { inputTokens: 250_000, cacheWriteTokens: 50_000, outputTokens: 10_000 },
    });
    expect(result).toMatchObject({ totalPico: 600_000_000_000n + 187_500_000_000n + 112_500_000_000n, tierApplied: { thresholdTokens: 200_000 }, serviceTierPriced: true });
  });

  it.each([
    ['anthropic', 'claude-sonnet-4-5', 'priority'],
    ['openai', 'gpt-5', 'scale'],
    ['azure.ai.openai', 'gpt-5', 'priority'],
  ])('leaves %s %s on the %s tier at standard rates, flagged', (provider, model, serviceTier) => {
    const result = catalog.price({ provider, model, usage, serviceTier });
    expect(result).toMatchObject({ status: 'priced', serviceTierPriced: false, priceVersion: 'genai-prices@0.1.8' });
    expect(result.reason).toContain('priced at standard rates');
  });

  it('lets a user override for the tier win over the table', () => {
    const own = new PriceCatalog({
      overridesFile: '',
      overrides: [{ provider: 'openai', model: 'gpt-5', serviceTier: 'priority', id: 'contract', prices: { inputPerMTok: 2, outputPerMTok: 16 } }],
    });
    expect(own.price({ provider: 'openai', model: 'gpt-5', usage, serviceTier: 'priority' })).toMatchObject({
      totalPico: 18_000_000_000_000n,
      priceVersion: 'override:contract',
      serviceTierPriced: true,
    });
  });

  it('bounds a priority call before it is sent at the priority rates (budgets reserve what will be billed)', () => {
    const estimate = catalog.estimateMaxCost({ provider: 'openai', model: 'gpt-5', inputTokens: 1_000, maxOutputTokens: 1_000, serviceTier: 'priority' });
    // 1_000 × 2_500_000 + 1_000 × 20_000_000
    expect(estimate.totalPico).toBe(22_500_000_000n);
    const rates = catalog.rates('openai', 'gpt-5', 'priority');
    expect(rates?.costPico({ inputTokens: 1_000, outputTokens: 1_000 })).toBe(22_500_000_000n);
  });
});
