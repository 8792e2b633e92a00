import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../src/index';

const catalog = new PriceCatalog({ overridesFile: '' });

describe('estimateMaxCost gives the worst case of a call before it is sent', () => {
  it.each([
    // claude-opus-4-7 ($5/$25): 10_000 × 5_000_000 + 2_000 × 25_000_000 = 50_000_000_000 + 50_000_000_000
    { title: 'input estimate + max_tokens at the output price', model: 'claude-opus-4-7', input: 10_000, max: 2_000, n: undefined, writes: {}, total: 100_000_000_000n, tier: undefined },
    // n = 3 choices: the prompt is billed once, output up to 3 × 2_000: 50_000_000_000 + 6_000 × 25_000_000
    { title: 'n choices multiply the output bound only', model: 'claude-opus-4-7', input: 10_000, max: 2_000, n: 3, writes: {}, total: 200_000_000_000n, tier: undefined },
    // claude-sonnet-4-5 above 200K input: 250_000 × 6_000_000 + 8_000 × 22_500_000 = 1_500_000_000_000 + 180_000_000_000
    { title: 'long-context rates when the input estimate crosses the threshold', model: 'claude-sonnet-4-5', input: 250_000, max: 8_000, n: undefined, writes: {}, total: 1_680_000_000_000n, tier: { thresholdTokens: 200_000 } },
    // below it: 150_000 × 3_000_000 + 8_000 × 15_000_000 = 450_000_000_000 + 120_000_000_000
    { title: 'base rates below the threshold', model: 'claude-sonnet-4-5', input: 150_000, max: 8_000, n: undefined, writes: {}, total: 570_000_000_000n, tier: undefined },
    // claude-sonnet-4-0 cache writes: 4_000 × 3_750_000 (5m) + 6_000 × 6_000_000 (1h) + 0 output
    { title: 'expected cache writes at their rates', model: 'claude-sonnet-4-0', input: 10_000, max: 0, n: undefined, writes: { cacheWriteTokens: 4_000, cacheWrite1hTokens: 6_000 }, total: 51_000_000_000n, tier: undefined },
  ])('$title', ({ model, input, max, n, writes, total, tier }) => {
    const estimate = catalog.estimateMaxCost({ provider: 'anthropic', model, inputTokens: input, maxOutputTokens: max, n, ...writes });
    expect(estimate.status).toBe('priced');
    expect(estimate.totalPico).toBe(total);
    expect(estimate.tierApplied).toEqual(tier);
    expect(estimate.outputBound).toBe('max_tokens');
  });

  it('bounds input and output at their priciest modality (realtime audio costs more than text)', () => {
    // gpt-4o-realtime-preview: text in 5 / audio in 40, text out 20 / audio out 80:
    // 1_000 × 40_000_000 + 1_000 × 80_000_000
    const estimate = catalog.estimateMaxCost({ provider: 'openai', model: 'gpt-4o-realtime-preview', inputTokens: 1_000, maxOutputTokens: 1_000 });
    expect(estimate.totalPico).toBe(120_000_000_000n);
  });

  it('bounds output by the context window when max_tokens is not given', () => {
    const estimate = catalog.estimateMaxCost({ provider: 'anthropic', model: 'claude-haiku-4-5', inputTokens: 1_000 });
    expect(estimate.outputBound).toBe('context_window');
    expect(estimate.outputTokensAssumed).toBeGreaterThan(0);
  });

  it('returns unpriced for a model it does not know', () => {
    const estimate = catalog.estimateMaxCost({ provider: 'openai', model: 'gpt-nope', inputTokens: 1_000, maxOutputTokens: 10 });
    expect(estimate.status).toBe('unpriced');
    expect(estimate.totalPico).toBeUndefined();
  });

  it.each([
    [{ inputTokens: -1, maxOutputTokens: 1 }, 'inputTokens must be a non-negative integer, got -1'],
    [{ inputTokens: 1, maxOutputTokens: 1.5 }, 'maxOutputTokens must be a non-negative integer, got 1.5'],
    [{ inputTokens: 1, maxOutputTokens: 1, n: 0 }, 'n must be at least 1'],
    [{ inputTokens: 1, maxOutputTokens: 1, cacheWriteTokens: 2 }, 'cache writes (2) exceed inputTokens (1)'],
  ])('is invalid for %o', (request, reason) => {
    expect(catalog.estimateMaxCost({ provider: 'openai', model: 'gpt-4o', ...request })).toEqual({
      status: 'invalid',
      priceVersion: 'genai-prices@0.1.8',
      reason,
    });
  });
});

describe('service tiers', () => {
  const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

  it.each(['default', 'standard', 'auto', undefined])('prices the standard tier (%s) without a flag', (serviceTier) => {
    const result = catalog.price({ provider: 'openai', model: 'gpt-4o', usage, serviceTier });
    expect(result.serviceTierPriced).toBeUndefined();
    expect(result.totalPico).toBe(12_500_000_000_000n); // $2.50 + $10
  });

  // flex, priority and batch are priced from costtrace's own table (test/service-tiers.test.ts);
  // OpenAI's `scale` is prepaid capacity with no per-token rate.
  it.each(['scale'])('flags %s on OpenAI as not priced (standard rates used)', (serviceTier) => {
    const result = catalog.price({ provider: 'openai', model: 'gpt-4o', usage, serviceTier });
    expect(result).toMatchObject({
      status: 'priced',
      totalPico: 12_500_000_000_000n,
      serviceTier,
      serviceTierPriced: false,
      reason: `the catalog (genai-prices@0.1.8) has no '${serviceTier}' service-tier price for gpt-4o; priced at standard rates`,
    });
  });

  it('prices batch where the catalog has it (OpenRouter lists …:batch models)', () => {
    // openai/gpt-6-luna:batch: $0.05 in / $0.25 out (vs $0.10 / $0.50 standard), below its 272K tier:
    // 100_000 × 50_000 + 100_000 × 250_000 = 5_000_000_000 + 25_000_000_000
    const small = { inputTokens: 100_000, outputTokens: 100_000 };
    const result = catalog.price({ provider: 'openrouter', model: 'openai/gpt-6-luna', usage: small, serviceTier: 'batch' });
    expect(result).toMatchObject({
      catalogModel: 'openai/gpt-6-luna:batch',
      serviceTier: 'batch',
      serviceTierPriced: true,
      totalPico: 30_000_000_000n,
    });
  });

  it('adds a per-request fee where the catalog has one (Perplexity sonar-pro: $14 per 1000 requests)', () => {
    // 1_000 × 3_000_000 + 1_000 × 15_000_000 + 1 request × 14_000_000_000
    const result = catalog.price({ provider: 'perplexity', model: 'sonar-pro', usage: { inputTokens: 1_000, outputTokens: 1_000 } });
    expect(result.breakdown?.requestPico).toBe(14_000_000_000n);
    expect(result.totalPico).toBe(32_000_000_000n);
  });
});
