import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PRICES_FILE_ENV, PriceCatalog } from '../src/index';
import type { PriceOverride } from '../src/index';

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe('price overrides', () => {
  const overrides: PriceOverride[] = [
    { provider: 'openai', model: 'ft:gpt-4o-mini:acme::abc123', prices: { inputPerMTok: 0.3, outputPerMTok: 1.2 } },
    { model: 'gpt-4o', id: 'negotiated-gpt-4o', prices: { inputPerMTok: 2, outputPerMTok: 8 } },
    { provider: 'vllm', model: { startsWith: 'llama-' }, prices: { inputPerMTok: 0.05, outputPerMTok: 0.1, perRequest: 0.001 } },
    { provider: 'openai', model: 'gpt-5', serviceTier: 'flex', prices: { inputPerMTok: 0.625, outputPerMTok: 5 } },
  ];
  const catalog = new PriceCatalog({ overrides, overridesFile: '' });

  it.each([
    // 1M × $0.30 + 1M × $1.20
    ['a fine-tuned model', 'openai', 'ft:gpt-4o-mini:acme::abc123', 1_500_000_000_000n, 'override:ft:gpt-4o-mini:acme::abc123'],
    // negotiated beats the catalog's $2.50/$10: 1M × $2 + 1M × $8
    ['a negotiated price over the catalog', 'azure.ai.openai', 'gpt-4o', 10_000_000_000_000n, 'override:negotiated-gpt-4o'],
    // self-hosted: 1M × $0.05 + 1M × $0.10 + $0.001 per request = 50_000_000_000 + 100_000_000_000 + 1_000_000_000
    ['a self-hosted model by pattern, with a per-request fee', 'vllm', 'llama-3.1-8b-instruct', 151_000_000_000n, 'override:startsWith:llama-'],
  ])('prices %s', (_title, provider, model, total, version) => {
    const result = catalog.price({ provider, model, usage });
    expect(result.status).toBe('priced');
    expect(result.totalPico).toBe(total);
    expect(result.priceVersion).toBe(version);
  });

  it('applies a service-tier override only to that tier', () => {
    // flex: 1M × $0.625 + 1M × $5 = $5.625; standard gpt-5 from the catalog: $1.25 + $10
    const flex = catalog.price({ provider: 'openai', model: 'gpt-5', usage, serviceTier: 'flex' });
    expect(flex).toMatchObject({ totalPico: 5_625_000_000_000n, serviceTier: 'flex', serviceTierPriced: true });
    const standard = catalog.price({ provider: 'openai', model: 'gpt-5', usage });
    expect(standard).toMatchObject({ totalPico: 11_250_000_000_000n, priceVersion: 'genai-prices@0.1.8' });
  });

  it('skips a bad override with a warning, keeping the good ones', () => {
    const warnings: string[] = [];
    const mixed = new PriceCatalog({
      overridesFile: '',
      onWarning: (message) => warnings.push(message),
      overrides: [
        { model: 'bad', prices: { inputPerMTok: -1, outputPerMTok: 1 } },
        { model: { regex: '(' }, prices: { inputPerMTok: 1, outputPerMTok: 1 } },
        { model: 'good', prices: { inputPerMTok: 1, outputPerMTok: 1 } },
      ],
    });
    expect(warnings).toEqual([
      'price override 0 from options ignored: prices.inputPerMTok must be a finite non-negative number',
      expect.stringContaining('price override 1 from options ignored: model.regex is not a valid regular expression'),
    ]);
    expect(mixed.price({ model: 'good', usage }).status).toBe('priced');
    expect(mixed.price({ model: 'bad', usage }).status).toBe('unpriced');
  });
});

describe(`overrides from the JSON file named by ${PRICES_FILE_ENV}`, () => {
  const saved = process.env[PRICES_FILE_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[PRICES_FILE_ENV];
    else process.env[PRICES_FILE_ENV] = saved;
  });
  const write = (content: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'costtrace-prices-')), 'prices.json');
    writeFileSync(path, content);
    return path;
  };

  it('reads the file when the catalog is built', () => {
    process.env[PRICES_FILE_ENV] = write(
      JSON.stringify({ overrides: [{ provider: 'anthropic', model: 'claude-opus-4-7', id: 'enterprise', prices: { inputPerMTok: 4, outputPerMTok: 20 } }] }),
    );
    // 1M × $4 + 1M × $20
    const result = new PriceCatalog().price({ provider: 'anthropic', model: 'claude-opus-4-7', usage });
    expect(result).toMatchObject({ status: 'priced', totalPico: 24_000_000_000_000n, priceVersion: 'override:enterprise' });
  });

  it.each([
    ['not JSON', '{ nope', 'ignored'],
    ['not a list', '{"prices": 1}', 'expected an array of overrides'],
  ])('warns and prices from the catalog when the file is %s', (_title, content, message) => {
    process.env[PRICES_FILE_ENV] = write(content);
    const warnings: string[] = [];
    const catalog = new PriceCatalog({ onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringContaining(message)]);
    expect(catalog.price({ provider: 'anthropic', model: 'claude-opus-4-7', usage }).priceVersion).toBe('genai-prices@0.1.8');
  });

  it('warns when the file is missing, and a throwing warning sink does not throw', () => {
    expect(
      () => new PriceCatalog({ overridesFile: '/nonexistent/prices.json', onWarning: () => { throw new Error('sink'); } }),
    ).not.toThrow();
  });
});
