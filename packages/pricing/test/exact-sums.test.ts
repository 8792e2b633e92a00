import { describe, expect, it } from 'vitest';
import { addPico, CostAccumulator, PriceCatalog, picoToUsd, picoToUsdString, usdToPico } from '../src/index';

describe('money is exact', () => {
  it('sums a million DeepSeek cache-read-sized calls to exactly what BigInt decimal arithmetic gives', () => {
    // deepseek-v4-flash before 2026-08-17, outside its peak windows: input 0.14, cache read 0.0028, output 0.28 $/MTok,
    // i.e. 1400, 28 and 2800 × 1e-10 USD per token: a cache read is 2.8 nano-dollars a token.
    const catalog = new PriceCatalog({ overridesFile: '' });
    const time = new Date('2026-01-05T12:00:00Z');
    const total = new CostAccumulator();
    let reference = 0n; // in 1e-10 USD
    let floatSum = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const cacheRead = (i % 7) + 1;
      const uncached = i % 3;
      const output = i % 2;
      const result = catalog.price({
        provider: 'deepseek',
        model: 'deepseek-v4-flash',
        usage: { inputTokens: cacheRead + uncached, cacheReadTokens: cacheRead, outputTokens: output },
        time,
      });
      total.add(result);
      floatSum += result.totalUsd as number;
      reference += BigInt(cacheRead) * 28n + BigInt(uncached) * 1400n + BigInt(output) * 2800n;
    }
    expect(total.pricedCount).toBe(1_000_000);
    expect(total.totalPico).toBe(reference * 100n); // 1e-10 USD = 100 pico-USD
    // Σ ≈ 1e6 × (4 × 28 + 1 × 1400 + 0.5 × 2800) × 1e-10 USD
    expect(picoToUsdString(total.totalPico)).toBe('0.2911998516');
    expect(catalog.cacheStats().modelResolutions).toBe(1);
    // The float sum is only close: the reason sums are kept in integer pico-USD.
    expect(floatSum).toBeCloseTo(0.2911998516, 9);
    // A million pricings: about 2 s on an idle 2-core machine, several times that under load.
  }, 60_000);

  it.each([
    // 1e-7 $/MTok = 0.1 pico per token: 4 tokens = 0.4 → 0; 5 = 0.5 → 1 (half up); 15 = 1.5 → 2; 14 = 1.4 → 1
    [4, 0n],
    [5, 1n],
    [14, 1n],
    [15, 2n],
  ])('rounds a sub-pico cost once, half up: %i tokens at 0.1 pico → %i pico', (tokens, pico) => {
    const catalog = new PriceCatalog({ overridesFile: '', overrides: [{ model: 'tiny', prices: { inputPerMTok: 1e-7, outputPerMTok: 1e-7 } }] });
    const result = catalog.price({ model: 'tiny', usage: { inputTokens: tokens, outputTokens: 0 } });
    expect(result.totalPico).toBe(pico);
  });

  it('rounds the total once and splits it so the parts still sum to it', () => {
    // 5 input + 5 output tokens at 0.1 pico = 0.5 + 0.5 = exactly 1 pico (rounding each part first would give 2)
    const catalog = new PriceCatalog({ overridesFile: '', overrides: [{ model: 'tiny', prices: { inputPerMTok: 1e-7, outputPerMTok: 1e-7 } }] });
    const result = catalog.price({ model: 'tiny', usage: { inputTokens: 5, outputTokens: 5 } });
    expect(result.totalPico).toBe(1n);
    const b = result.breakdown!;
    expect(b.inputPico + b.outputPico + b.cacheReadPico + b.cacheWritePico + b.requestPico).toBe(1n);
  });

  it('takes a catalog price as the decimal it prints as (0.18000000000000002 is not rounded to 0.18)', () => {
    // huggingface_together Qwen/Qwen3-VL-8B-Instruct input_mtok 0.18000000000000002:
    // 1M tokens × 0.18000000000000002 $/MTok = $0.18000000000000002 = 180_000_000_000.00002 pico → 180_000_000_000
    const catalog = new PriceCatalog({ overridesFile: '' });
    const result = catalog.price({
      provider: 'huggingface_together',
      model: 'Qwen/Qwen3-VL-8B-Instruct',
      usage: { inputTokens: 1_000_000, outputTokens: 0 },
    });
    expect(result.breakdown?.inputPico).toBe(180_000_000_000n);
  });

  it('keeps a call above 2^53 pico-USD exact', () => {
    // o1-pro output $600/MTok × 20M tokens = $12_000 = 1.2e16 pico > 2^53 ≈ 9.007e15
    const catalog = new PriceCatalog({ overridesFile: '' });
    const result = catalog.price({ provider: 'openai', model: 'o1-pro', usage: { inputTokens: 1, outputTokens: 20_000_000 } });
    // 1 × 150_000_000 + 20_000_000 × 600_000_000
    expect(result.totalPico).toBe(12_000_000_150_000_000n);
    expect(result.totalUsd).toBe(12_000.00015);
  });

  it.each([
    [4_250_000_000_000n, '4.25', 4.25],
    [1n, '0.000000000001', 1e-12],
    [0n, '0', 0],
    [12_000_000_150_000_000n, '12000.00015', 12_000.00015],
  ])('converts %s pico to $%s', (pico, text, usd) => {
    expect(picoToUsdString(pico)).toBe(text);
    expect(picoToUsd(pico)).toBe(usd);
  });

  it('adds pico amounts exactly and counts unpriced results apart', () => {
    expect(addPico(1n, undefined, 2n)).toBe(3n);
    const total = new CostAccumulator()
      .add(5n)
      .add({ status: 'unpriced', priceVersion: 'genai-prices@0.1.8' })
      .add({ status: 'invalid', priceVersion: 'genai-prices@0.1.8' });
    expect([total.totalPico, total.pricedCount, total.unpricedCount, total.invalidCount]).toEqual([5n, 1, 1, 1]);
  });
});

describe('usdToPico', () => {
  it.each([
    [0.0004215, 421_500_000n],
    [1.5e-7, 150_000n],
    [4.25, 4_250_000_000_000n],
    [0, 0n],
    // past the pico: rounded once, half up
    [1.2345678901235e-7, 123_457n],
    [1e-13, 0n],
    [5e-13, 1n],
  ])('takes %s USD as the decimal it prints as: %s pico', (usd, pico) => {
    expect(usdToPico(usd)).toBe(pico);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('gives undefined for %s', (usd) => {
    expect(usdToPico(usd)).toBeUndefined();
  });
});
