import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { calcPrice, waitForUpdate } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { GENAI_PRICES_VERSION, PriceCatalog } from '../src/index';
import { BUNDLED_PROVIDER_IDS } from '../src/bundled-catalog';

const catalog = new PriceCatalog({ overridesFile: '' });
const usage = { inputTokens: 1_000, outputTokens: 100 };

describe('model ids resolve to catalog models', () => {
  it.each([
    ['openai', 'gpt-4o-mini-2024-07-18', 'openai', 'gpt-4o-mini'],
    ['openai', 'openai/gpt-4o', 'openai', 'gpt-4o'],
    [undefined, 'anthropic/claude-opus-4-7', 'anthropic', 'claude-opus-4-7'],
    [undefined, 'claude-haiku-4-5', 'anthropic', 'claude-haiku-4-5'],
    [undefined, 'gpt-4o-mini-20240718', 'openai', 'gpt-4o-mini'],
    ['anthropic', 'claude-haiku-4-5-20251001', 'anthropic', 'claude-haiku-4-5'],
    ['anthropic', 'Claude-Opus-4-7', 'anthropic', 'claude-opus-4-7'],
    ['gcp.gemini', 'models/gemini-2.5-pro', 'google', 'gemini-2.5-pro'],
    ['gcp.vertex_ai', 'publishers/google/models/gemini-2.5-flash', 'google', 'gemini-2.5-flash'],
    ['gcp.vertex_ai', 'claude-opus-4-7@20260101', 'google', 'claude-opus-4-7'],
    ['openrouter', 'openai/gpt-6-luna', 'openrouter', 'openai/gpt-6-luna'],
  ])('%s %s → %s/%s', (provider, model, catalogProvider, catalogModel) => {
    const result = catalog.price({ provider, model, usage });
    expect(result.status).toBe('priced');
    expect(result.catalogProvider).toBe(catalogProvider);
    expect(result.catalogModel).toBe(catalogModel);
  });

  it('drops an unknown snapshot date as a last resort and notes it', () => {
    const result = catalog.price({ provider: 'openai', model: 'gpt-5-mini-2030-01-01', usage });
    expect(result.catalogModel).toBe('gpt-5-mini');
    expect(result.notes).toEqual([expect.stringContaining('removing the date suffix')]);
  });

  it('keeps a snapshot the catalog prices apart from its family (gpt-4o-2024-05-13 is $5/$15, not $2.50/$10)', () => {
    expect(catalog.price({ provider: 'openai', model: 'gpt-4o-2024-05-13', usage }).catalogModel).toBe('gpt-4o-2024-05-13');
  });
});

describe('OpenTelemetry provider names map to catalog providers', () => {
  it.each([
    ['openai', 'gpt-4o', 'openai'],
    ['anthropic', 'claude-opus-4-7', 'anthropic'],
    ['gcp.gemini', 'gemini-2.5-flash', 'google'],
    ['gcp.vertex_ai', 'gemini-2.5-flash', 'google'],
    ['gcp.gen_ai', 'gemini-2.5-flash', 'google'],
    ['aws.bedrock', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'aws'],
    // Azure falls back to OpenAI's entries, as genai-prices does; the note names it
    ['azure.ai.openai', 'gpt-4o', 'openai'],
    ['x_ai', 'grok-4.6', 'x-ai'],
    ['deepseek', 'deepseek-chat', 'deepseek'],
    ['mistral_ai', 'mistral-large-latest', 'mistral'],
    ['groq', 'llama-3.3-70b-versatile', 'groq'],
    ['perplexity', 'sonar', 'perplexity'],
    ['cohere', 'command-r-plus', 'cohere'],
    ['x-ai', 'grok-4.6', 'x-ai'],
    // The Vercel AI SDK's `ai.model.provider` values: `{provider}.{api}` and hyphenated ids
    ['xai.chat', 'grok-3', 'x-ai'],
    ['openai.responses', 'gpt-4o', 'openai'],
    ['google.generative-ai', 'gemini-2.5-flash', 'google'],
    ['amazon-bedrock', 'us.anthropic.claude-opus-4-7-v1:0', 'aws'],
    ['azure-openai.chat', 'gpt-4o', 'openai'],
  ])('%s + %s → %s', (provider, model, catalogProvider) => {
    const result = catalog.price({ provider, model, usage });
    expect(result.status).toBe('priced');
    expect(result.catalogProvider).toBe(catalogProvider);
  });

  it('prices Bedrock Claude at the Bedrock rate, not Anthropic’s', () => {
    // regional opus-4-7 on Bedrock: input 5.5, output 27.5 → 1_000 × 5_500_000 + 100 × 27_500_000 = 8_250_000_000
    const result = catalog.price({ provider: 'aws.bedrock', model: 'us.anthropic.claude-opus-4-7-v1:0', usage });
    expect(result.totalPico).toBe(8_250_000_000n);
  });
});

describe('a model or provider the catalog does not know is unpriced, never $0', () => {
  it.each([
    ['openai', 'no-such-model', "model 'no-such-model' is not in the price catalog"],
    [undefined, 'my-private-llm', "model 'my-private-llm' is not in the price catalog"],
    ['ibm.watsonx.ai', 'granite-3', "provider 'ibm.watsonx.ai' is not in the price catalog"],
    ['openai', '', 'model id is empty'],
  ])('%s %s', (provider, model, reason) => {
    const result = catalog.price({ provider, model, usage });
    expect(result.status).toBe('unpriced');
    expect(result.totalPico).toBeUndefined();
    expect(result.totalUsd).toBeUndefined();
    expect(result.breakdown).toBeUndefined();
    expect(result.priceVersion).toBe('genai-prices@0.1.8');
    expect(result.reason).toContain(reason);
  });

  it('leaves a model priced only by audio hours unpriced rather than $0 for its tokens', () => {
    const result = catalog.price({ provider: 'x_ai', model: 'grok-voice-think-fast-1.0', usage });
    expect(result.status).toBe('unpriced');
    expect(result.reason).toContain('not priced by tokens');
  });
});

describe('the bundled catalog', () => {
  it('is genai-prices 0.1.8, the installed version', () => {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve('@pydantic/genai-prices').replace(/dist[\\/]index\.c?js$/, 'package.json');
    expect(JSON.parse(readFileSync(pkgPath, 'utf8')).version).toBe(GENAI_PRICES_VERSION);
  });

  it('lists every provider of the bundled data, in its order', async () => {
    const providers = await waitForUpdate();
    expect(BUNDLED_PROVIDER_IDS).toEqual(providers?.map((p) => p.id));
  });

  it.each([
    ['anthropic', 'claude-sonnet-4-5', { input_tokens: 250_000, cache_read_tokens: 50_000, output_tokens: 10_000 }, { inputTokens: 250_000, cacheReadTokens: 50_000, outputTokens: 10_000 }],
    ['anthropic', 'claude-opus-4-5', { input_tokens: 20_000, cache_write_tokens: 5_000, cache_write_1h_tokens: 3_000, output_tokens: 700 }, { inputTokens: 20_000, cacheWriteTokens: 5_000, cacheWrite1hTokens: 3_000, outputTokens: 700 }],
    ['openai', 'gpt-4o-mini', { input_tokens: 12_345, cache_read_tokens: 2_345, output_tokens: 678 }, { inputTokens: 12_345, cacheReadTokens: 2_345, outputTokens: 678 }],
    ['google', 'gemini-2.5-pro', { input_tokens: 300_000, output_tokens: 1_000 }, { inputTokens: 300_000, outputTokens: 1_000 }],
    ['perplexity', 'sonar-pro', { input_tokens: 1_000, output_tokens: 500 }, { inputTokens: 1_000, outputTokens: 500 }],
  ])('agrees with genai-prices calcPrice on %s %s (to float precision)', (provider, model, theirs, ours) => {
    const time = new Date('2025-09-01T12:00:00Z');
    const reference = calcPrice(theirs, model, { providerId: provider, timestamp: time });
    const result = catalog.price({ provider, model, usage: ours, time });
    expect(result.totalUsd).toBeCloseTo(reference?.total_price ?? NaN, 12);
  });
});
