import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../src/index';

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe('prices that change with the time of day or the date', () => {
  it('prices DeepSeek peak and off-peak hours and re-resolves when the window passes', () => {
    // deepseek-chat: standard 00:30–16:30 UTC (0.27 in + 1.10 out = $1.37 per 1M/1M), off-peak otherwise (0.135 + 0.55 = $0.685)
    const catalog = new PriceCatalog({ overridesFile: '' });
    const at = (iso: string) => catalog.price({ provider: 'deepseek', model: 'deepseek-chat', usage, time: new Date(iso) }).totalPico;
    expect(at('2025-06-02T12:00:00Z')).toBe(1_370_000_000_000n);
    expect(catalog.cacheStats()).toEqual({ entries: 1, modelResolutions: 1, windowResolutions: 1 });
    expect(at('2025-06-02T16:29:59.999Z')).toBe(1_370_000_000_000n);
    expect(catalog.cacheStats().windowResolutions).toBe(1); // still inside [00:30, 16:30)
    expect(at('2025-06-02T16:30:00Z')).toBe(685_000_000_000n);
    expect(catalog.cacheStats().windowResolutions).toBe(2); // the window passed: chosen anew
    expect(at('2025-06-03T00:29:00Z')).toBe(685_000_000_000n);
    expect(catalog.cacheStats().windowResolutions).toBe(2); // off-peak runs 16:30 → 00:30 next day
    expect(at('2025-06-03T00:30:00Z')).toBe(1_370_000_000_000n);
    expect(at('2025-06-02T12:00:00Z')).toBe(1_370_000_000_000n); // back in time re-resolves too
    expect(catalog.cacheStats()).toEqual({ entries: 1, modelResolutions: 1, windowResolutions: 4 });
  });

  it.each([
    // o3 before 2025-06-10: $10 in / $40 out; from then: $2 / $8
    ['2025-06-09T23:59:59Z', 50_000_000_000_000n],
    ['2025-06-10T00:00:00Z', 10_000_000_000_000n],
  ])('prices o3 at %s by the price in force then', (iso, total) => {
    const catalog = new PriceCatalog({ overridesFile: '' });
    expect(catalog.price({ provider: 'openai', model: 'o3', usage, time: new Date(iso) }).totalPico).toBe(total);
  });

  it('accepts epoch milliseconds as the time', () => {
    const catalog = new PriceCatalog({ overridesFile: '' });
    const ms = Date.parse('2025-06-02T20:00:00Z');
    expect(catalog.price({ provider: 'deepseek', model: 'deepseek-chat', usage, time: ms }).totalPico).toBe(685_000_000_000n);
  });
});
