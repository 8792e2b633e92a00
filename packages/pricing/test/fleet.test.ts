import { describe, expect, it } from 'vitest';
import { CostAccumulator, PriceCatalog, picoToUsdString } from '../src/index';

const catalog = new PriceCatalog({ overridesFile: '' });

describe('the 5-agent fleet on claude-opus-4-7 ($5 input / $25 output per MTok, flat across 1M context)', () => {
  const agents = [
    // 600_000 × $5/M = $3.00; 50_000 × $25/M = $1.25 → $4.25
    { input: 600_000, output: 50_000, usd: '4.25' },
    // 400_000 × 5/M = 2.00; 120_000 × 25/M = 3.00 → 5.00
    { input: 400_000, output: 120_000, usd: '5' },
    // 300_000 × 5/M = 1.50; 80_000 × 25/M = 2.00 → 3.50
    { input: 300_000, output: 80_000, usd: '3.5' },
    // 450_000 × 5/M = 2.25; 90_000 × 25/M = 2.25 → 4.50
    { input: 450_000, output: 90_000, usd: '4.5' },
    // 500_000 × 5/M = 2.50; 180_000 × 25/M = 4.50 → 7.00
    { input: 500_000, output: 180_000, usd: '7' },
  ];

  it.each(agents)('prices $input in / $output out at $$usd', ({ input, output, usd }) => {
    const result = catalog.price({
      provider: 'anthropic',
      model: 'claude-opus-4-7',
      usage: { inputTokens: input, outputTokens: output },
    });
    expect(result.status).toBe('priced');
    expect(picoToUsdString(result.totalPico as bigint)).toBe(usd);
    expect(result.catalogModel).toBe('claude-opus-4-7');
    expect(result.catalogProvider).toBe('anthropic');
    expect(result.priceVersion).toBe('genai-prices@0.1.8');
    expect(result.tierApplied).toBeUndefined();
  });

  it('sums the fleet exactly to $24.25 with the accumulator', () => {
    const total = new CostAccumulator();
    for (const { input, output } of agents) {
      total.add(
        catalog.price({ provider: 'anthropic', model: 'claude-opus-4-7', usage: { inputTokens: input, outputTokens: output } }),
      );
    }
    // 4.25 + 5.00 + 3.50 + 4.50 + 7.00 = 24.25
    expect(total.totalPico).toBe(24_250_000_000_000n);
    expect(total.totalUsd).toBe(24.25);
    expect(total.pricedCount).toBe(5);
  });

  it('prices the third agent (300K in / 80K out) on claude-haiku-4-5 at $0.70', () => {
    // 300_000 × $1/M = $0.30; 80_000 × $5/M = $0.40 → $0.70
    const result = catalog.price({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      usage: { inputTokens: 300_000, outputTokens: 80_000 },
    });
    expect(result).toEqual({
      status: 'priced',
      totalPico: 700_000_000_000n,
      totalUsd: 0.7,
      breakdown: {
        inputPico: 300_000_000_000n,
        outputPico: 400_000_000_000n,
        cacheReadPico: 0n,
        cacheWritePico: 0n,
        requestPico: 0n,
      },
      catalogModel: 'claude-haiku-4-5',
      catalogProvider: 'anthropic',
      priceVersion: 'genai-prices@0.1.8',
    });
  });
});
