import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../src/index';
import type { PriceOverride } from '../src/index';

const catalogWith = (overrides: PriceOverride[], warnings: string[] = []) =>
  new PriceCatalog({ overridesFile: '', overrides, onWarning: (m) => warnings.push(m) });

describe('long-context tiers in an override', () => {
  // A negotiated Gemini 2.5 Pro price, dearer above 200K input, as Google bills it.
  const catalog = catalogWith([
    {
      provider: 'google',
      model: 'gemini-2.5-pro',
      id: 'gemini-contract',
      prices: { inputPerMTok: 1, outputPerMTok: 8, cacheReadPerMTok: 0.25 },
      longContext: [
        { aboveInputTokens: 200_000, prices: { inputPerMTok: 2, outputPerMTok: 12, cacheReadPerMTok: 0.5 } },
        { aboveInputTokens: 1_000_000, prices: { inputPerMTok: 4, outputPerMTok: 20 } },
      ],
    },
  ]);
  const price = (inputTokens: number, cacheReadTokens = 0) =>
    catalog.price({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', usage: { inputTokens, cacheReadTokens, outputTokens: 1_000 } });

  it.each([
    // at the threshold: base rates. 200_000 × 1_000_000 + 1_000 × 8_000_000
    [200_000, 0, 208_000_000_000n, undefined],
    // one above: every part at the tier. 200_001 × 2_000_000 + 1_000 × 12_000_000
    [200_001, 0, 412_002_000_000n, { thresholdTokens: 200_000 }],
    // cache reads count toward the threshold and get the tier's cache rate: 150_001 × 2e6 + 50_000 × 5e5 + 1_000 × 12e6
    [200_001, 50_000, 337_002_000_000n, { thresholdTokens: 200_000 }],
    // past the second tier; its missing cache-read rate is its own input rate: 1_000_001 × 4e6 + 1_000 × 20e6
    [1_000_001, 0, 4_020_004_000_000n, { thresholdTokens: 1_000_000 }],
  ])('%i input (%i cached) → %s pico', (input, cached, total, tier) => {
    const result = price(input, cached);
    expect(result).toMatchObject({ status: 'priced', totalPico: total, priceVersion: 'override:gemini-contract' });
    expect(result.tierApplied).toEqual(tier);
  });

  it('bounds an estimate at the tier its input estimate crosses', () => {
    const estimate = catalog.estimateMaxCost({ provider: 'google', model: 'gemini-2.5-pro', inputTokens: 300_000, maxOutputTokens: 1_000 });
    // 300_000 × 2e6 + 1_000 × 12e6
    expect(estimate.totalPico).toBe(612_000_000_000n);
  });

  it('prices exactly at a finer scale when a tier has more decimals than the base', () => {
    const fine = catalogWith([
      { model: 'm', prices: { inputPerMTok: 1, outputPerMTok: 1 }, longContext: [{ aboveInputTokens: 10, prices: { inputPerMTok: 0.0000001, outputPerMTok: 1 } }] },
    ]);
    // 11 × 0.1 pico = 1.1 → 1 pico (rounded once, half up); below: 10 × 1e6
    expect(fine.price({ model: 'm', usage: { inputTokens: 11, outputTokens: 0 } }).totalPico).toBe(1n);
    expect(fine.price({ model: 'm', usage: { inputTokens: 10, outputTokens: 0 } }).totalPico).toBe(10_000_000n);
  });

  it.each([
    [[{ aboveInputTokens: -1, prices: { inputPerMTok: 1, outputPerMTok: 1 } }], 'longContext[0].aboveInputTokens must be a non-negative integer'],
    [[{ aboveInputTokens: 5, prices: { inputPerMTok: 1 } }], 'longContext[0].prices.inputPerMTok and prices.outputPerMTok are required'],
    [
      [
        { aboveInputTokens: 5, prices: { inputPerMTok: 1, outputPerMTok: 1 } },
        { aboveInputTokens: 5, prices: { inputPerMTok: 2, outputPerMTok: 2 } },
      ],
      'longContext[1] repeats the threshold 5',
    ],
    ['200000', 'longContext must be an array of { aboveInputTokens, prices }'],
  ])('skips a bad tier list with a warning naming it (%#)', (longContext, message) => {
    const warnings: string[] = [];
    const bad = catalogWith([{ model: 'm', prices: { inputPerMTok: 1, outputPerMTok: 1 }, longContext: longContext as never }], warnings);
    expect(warnings).toEqual([`price override 0 from options ignored: ${message}`]);
    expect(bad.price({ model: 'm', usage: { inputTokens: 1, outputTokens: 1 } }).status).toBe('unpriced');
  });
});

describe('time windows in an override', () => {
  const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

  it('applies a price change from its date, and the catalog before it', () => {
    const catalog = catalogWith([{ provider: 'openai', model: 'gpt-4o', id: 'cut-2026', from: '2026-03-01', prices: { inputPerMTok: 2, outputPerMTok: 8 } }]);
    const at = (iso: string) => catalog.price({ provider: 'openai', model: 'gpt-4o', usage, time: new Date(iso) });
    expect(at('2026-02-28T23:59:59.999Z')).toMatchObject({ totalPico: 12_500_000_000_000n, priceVersion: 'genai-prices@0.1.8' });
    expect(at('2026-03-01T00:00:00Z')).toMatchObject({ totalPico: 10_000_000_000_000n, priceVersion: 'override:cut-2026' });
  });

  it('falls through to the next override outside a window: an off-peak price over a standing one', () => {
    const catalog = catalogWith([
      { provider: 'deepseek', model: 'house-model', id: 'off-peak', daily: { start: '16:30Z', end: '00:30Z' }, prices: { inputPerMTok: 0.5, outputPerMTok: 1 } },
      { provider: 'deepseek', model: 'house-model', id: 'peak', prices: { inputPerMTok: 1, outputPerMTok: 2 } },
    ]);
    const at = (iso: string) => catalog.price({ provider: 'deepseek', model: 'house-model', usage, time: new Date(iso) });
    expect([at('2026-05-04T12:00:00Z'), at('2026-05-04T16:30:00Z'), at('2026-05-05T00:29:59Z'), at('2026-05-05T00:30:00Z')].map((r) => [r.priceVersion, r.totalPico])).toEqual([
      ['override:peak', 3_000_000_000_000n],
      ['override:off-peak', 1_500_000_000_000n],
      ['override:off-peak', 1_500_000_000_000n],
      ['override:peak', 3_000_000_000_000n],
    ]);
  });

  it('re-chooses only when a window boundary passes', () => {
    const catalog = catalogWith([
      { model: 'm', id: 'night', daily: { start: '22:00', end: '06:00' }, prices: { inputPerMTok: 1, outputPerMTok: 1 } },
      { model: 'm', id: 'day', prices: { inputPerMTok: 2, outputPerMTok: 2 } },
    ]);
    const at = (iso: string) => catalog.price({ model: 'm', usage, time: new Date(iso) }).priceVersion;
    expect(at('2026-05-04T12:00:00Z')).toBe('override:day');
    expect(at('2026-05-04T21:59:59Z')).toBe('override:day');
    expect(catalog.cacheStats().windowResolutions).toBe(1);
    expect(at('2026-05-04T22:00:00Z')).toBe('override:night');
    expect(at('2026-05-05T05:00:00Z')).toBe('override:night');
    expect(catalog.cacheStats().windowResolutions).toBe(2);
  });

  it('takes a daily window in a time zone', () => {
    // 08:00–20:00 at +08:00 is 00:00–12:00 UTC
    const catalog = catalogWith([{ model: 'm', id: 'cn-day', daily: { start: '08:00:00+08:00', end: '20:00:00+08:00' }, prices: { inputPerMTok: 1, outputPerMTok: 1 } }]);
    const at = (iso: string) => catalog.price({ model: 'm', usage, time: new Date(iso) }).status;
    expect([at('2026-05-04T11:59:59Z'), at('2026-05-04T12:00:00Z')]).toEqual(['priced', 'unpriced']);
  });

  it('leaves a call outside every window of a model the catalog lacks unpriced, never $0', () => {
    const catalog = catalogWith([{ model: 'promo-model', id: 'promo', from: '2026-01-01', until: '2026-02-01T00:00:00Z', prices: { inputPerMTok: 1, outputPerMTok: 1 } }]);
    const at = (iso: string) => catalog.price({ provider: 'vllm', model: 'promo-model', usage, time: new Date(iso) });
    expect(at('2026-01-31T23:59:59Z')).toMatchObject({ status: 'priced', priceVersion: 'override:promo' });
    expect(at('2026-02-01T00:00:00Z')).toMatchObject({ status: 'unpriced' });
    expect(at('2026-02-01T00:00:00Z').totalPico).toBeUndefined();
    expect(catalog.rates('vllm', 'promo-model', undefined, Date.parse('2026-02-02'))).toBeUndefined();
    expect(catalog.rates('vllm', 'promo-model', undefined, Date.parse('2026-01-02'))?.costPico({ inputTokens: 1, outputTokens: 1 })).toBe(2_000_000n);
  });

  it.each([
    [{ from: 'soon' }, 'from must be an ISO 8601 date or date-time'],
    [{ from: '2026-02-01', until: '2026-01-01' }, 'until must be after from'],
    [{ daily: { start: '25:00', end: '01:00' } }, 'daily must be { start, end } with times of day like "16:30Z" or "08:00:00+08:00"'],
    [{ daily: { start: '01:00Z', end: '01:00Z' } }, 'daily.start and daily.end must differ'],
  ])('skips a bad window with a warning naming it (%#)', (window, message) => {
    const warnings: string[] = [];
    catalogWith([{ model: 'm', prices: { inputPerMTok: 1, outputPerMTok: 1 }, ...(window as object) }], warnings);
    expect(warnings).toEqual([`price override 0 from options ignored: ${message}`]);
  });

  it('reads tiers and windows from the overrides file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costtrace-prices-'));
    const file = join(dir, 'prices.json');
    writeFileSync(
      file,
      JSON.stringify({
        overrides: [
          {
            provider: 'anthropic',
            model: 'claude-sonnet-4-5',
            id: 'sonnet-1m',
            from: '2026-01-01T00:00:00Z',
            prices: { inputPerMTok: 2.5, outputPerMTok: 12 },
            longContext: [{ aboveInputTokens: 200000, prices: { inputPerMTok: 5, outputPerMTok: 18 } }],
          },
        ],
      }),
    );
    const catalog = new PriceCatalog({ overridesFile: file });
    const result = catalog.price({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { inputTokens: 300_000, outputTokens: 1_000 }, time: Date.parse('2026-06-01') });
    // 300_000 × 5e6 + 1_000 × 18e6
    expect(result).toMatchObject({ totalPico: 1_518_000_000_000n, priceVersion: 'override:sonnet-1m', tierApplied: { thresholdTokens: 200_000 } });
  });
});
