import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../src/index';
import type { PricedCall } from '../src/index';

const catalog = new PriceCatalog({ overridesFile: '' });

// Rates in pico-USD per token are the USD/MTok price × 1e6: $0.15/MTok → 150_000 pico per token.
describe('cached input is charged once, at its own rate', () => {
  it.each<{ title: string; call: PricedCall; breakdown: [bigint, bigint, bigint, bigint]; total: bigint }>([
    {
      // gpt-4o-mini: input 0.15, cache_read 0.075, output 0.6 ($/MTok). OpenAI's prompt_tokens 10_000 include 4_000 cached.
      // input (10_000 − 4_000) × 150_000 = 900_000_000; cache read 4_000 × 75_000 = 300_000_000; output 1_000 × 600_000 = 600_000_000
      title: 'OpenAI style: cached tokens inside prompt tokens',
      call: { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 1_000 } },
      breakdown: [900_000_000n, 600_000_000n, 300_000_000n, 0n],
      total: 1_800_000_000n,
    },
    {
      // claude-sonnet-4-0: input 3, cache_write 3.75, cache_read 0.3, output 15. Anthropic's input_tokens 100 + cache_read 20_000 + cache_creation 5_000 = 25_100.
      // input 100 × 3_000_000 = 300_000_000; read 20_000 × 300_000 = 6_000_000_000; write 5_000 × 3_750_000 = 18_750_000_000; output 500 × 15_000_000 = 7_500_000_000
      title: 'Anthropic style: cache read and creation added into input',
      call: {
        provider: 'anthropic',
        model: 'claude-sonnet-4-0',
        usage: { inputTokens: 25_100, cacheReadTokens: 20_000, cacheWriteTokens: 5_000, outputTokens: 500 },
      },
      breakdown: [300_000_000n, 7_500_000_000n, 6_000_000_000n, 18_750_000_000n],
      total: 32_550_000_000n,
    },
    {
      // gpt-4o-2024-05-13 has no cached-input price: cached tokens bill at the input rate 5 → 10_000 × 5_000_000; output 0
      title: 'no cache-read price in the catalog: cached tokens bill as input',
      call: { provider: 'openai', model: 'gpt-4o-2024-05-13', usage: { inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 0 } },
      breakdown: [30_000_000_000n, 0n, 20_000_000_000n, 0n],
      total: 50_000_000_000n,
    },
  ])('$title', ({ call, breakdown, total }) => {
    const result = catalog.price(call);
    expect(result.status).toBe('priced');
    expect(result.breakdown).toEqual({
      inputPico: breakdown[0],
      outputPico: breakdown[1],
      cacheReadPico: breakdown[2],
      cacheWritePico: breakdown[3],
      requestPico: 0n,
    });
    expect(result.totalPico).toBe(total);
  });
});

describe('cache writes are priced by lifetime', () => {
  // claude-sonnet-4-0: cache_write_mtok 3.75 (the 5-minute rate, 1.25× input), cache_write_1h_mtok 6 (2× input).
  it.each([
    // 10_000 × 3_750_000
    { title: 'a write of unknown lifetime at the 5-minute rate', usage: { cacheWriteTokens: 10_000 }, write: 37_500_000_000n },
    // 10_000 × 3_750_000
    { title: 'a 5-minute write', usage: { cacheWrite5mTokens: 10_000 }, write: 37_500_000_000n },
    // 10_000 × 6_000_000
    { title: 'a 1-hour write', usage: { cacheWrite1hTokens: 10_000 }, write: 60_000_000_000n },
    // 4_000 × 3_750_000 + 6_000 × 6_000_000 = 15_000_000_000 + 36_000_000_000
    { title: 'a split write', usage: { cacheWriteTokens: 10_000, cacheWrite5mTokens: 4_000, cacheWrite1hTokens: 6_000 }, write: 51_000_000_000n },
    // unspecified 2_000 at 5m + 1h 8_000: 2_000 × 3_750_000 + 8_000 × 6_000_000 = 7_500_000_000 + 48_000_000_000
    { title: 'a write whose split covers part of it', usage: { cacheWriteTokens: 10_000, cacheWrite1hTokens: 8_000 }, write: 55_500_000_000n },
  ])('$title', ({ usage, write }) => {
    const result = catalog.price({
      provider: 'anthropic',
      model: 'claude-sonnet-4-0',
      usage: { inputTokens: 10_000, outputTokens: 0, ...usage },
    });
    expect(result.breakdown?.cacheWritePico).toBe(write);
    expect(result.breakdown?.inputPico).toBe(0n);
    expect(result.totalPico).toBe(write);
  });

  it('derives the 1-hour rate as 2× input for Claude on Bedrock, where the catalog lacks it, and says so', () => {
    // global.anthropic.claude-sonnet-4-5 on Bedrock: input 3, cache_write 3.75, no cache_write_1h → 2 × 3 = 6 $/MTok
    // 1h: 1_000 × 6_000_000 = 6_000_000_000; 5m: 1_000 × 3_750_000 = 3_750_000_000
    const result = catalog.price({
      provider: 'aws.bedrock',
      model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      usage: { inputTokens: 2_000, cacheWrite5mTokens: 1_000, cacheWrite1hTokens: 1_000, outputTokens: 0 },
    });
    expect(result.breakdown?.cacheWritePico).toBe(9_750_000_000n);
    expect(result.notes).toEqual([expect.stringContaining('2x the input rate')]);
  });
});

describe('long-context tiers reprice the whole call once input crosses the threshold', () => {
  // claude-sonnet-4-5: input 3 → 6, cache_read 0.3 → 0.6, output 15 → 22.5 above 200_000 input tokens (all input, cached included).
  it.each([
    // at the threshold (not above it): 200_000 × 3_000_000 + 10_000 × 15_000_000 = 600_000_000_000 + 150_000_000_000
    { input: 200_000, cacheRead: 0, total: 750_000_000_000n, tier: undefined },
    // one token above: 200_001 × 6_000_000 + 10_000 × 22_500_000 = 1_200_006_000_000 + 225_000_000_000
    { input: 200_001, cacheRead: 0, total: 1_425_006_000_000n, tier: { thresholdTokens: 200_000 } },
    // cache reads count toward the threshold and get the tier rate too:
    // 200_000 × 6_000_000 + 50_000 × 600_000 + 10_000 × 22_500_000 = 1_200_000_000_000 + 30_000_000_000 + 225_000_000_000
    { input: 250_000, cacheRead: 50_000, total: 1_455_000_000_000n, tier: { thresholdTokens: 200_000 } },
  ])('$input input ($cacheRead cached) → $total pico', ({ input, cacheRead, total, tier }) => {
    const result = catalog.price({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      usage: { inputTokens: input, cacheReadTokens: cacheRead, outputTokens: 10_000 },
    });
    expect(result.totalPico).toBe(total);
    expect(result.tierApplied).toEqual(tier);
  });

  it('applies Gemini 2.5 Pro tiers the same way', () => {
    // gemini-2.5-pro above 200K: input 2.5, output 15 → 300_000 × 2_500_000 + 1_000 × 15_000_000
    const result = catalog.price({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', usage: { inputTokens: 300_000, outputTokens: 1_000 } });
    expect(result.totalPico).toBe(765_000_000_000n);
    expect(result.tierApplied).toEqual({ thresholdTokens: 200_000 });
  });
});

describe('reasoning tokens are output, counted once', () => {
  it.each([
    // o4-mini: input 1.1, output 4.4. 1_000 × 1_100_000 + 5_000 × 4_400_000 (4_000 of them reasoning) = 1_100_000_000 + 22_000_000_000
    { model: 'o4-mini', provider: 'openai', reasoning: 4_000, output: 22_000_000_000n },
    { model: 'o4-mini', provider: 'openai', reasoning: undefined, output: 22_000_000_000n },
    // gpt-5: output 10 → 5_000 × 10_000_000
    { model: 'gpt-5', provider: 'openai', reasoning: 4_500, output: 50_000_000_000n },
    // perplexity sonar-deep-research bills reasoning apart: output 8, reasoning 3
    // (5_000 − 4_000) × 8_000_000 + 4_000 × 3_000_000 = 8_000_000_000 + 12_000_000_000
    { model: 'sonar-deep-research', provider: 'perplexity', reasoning: 4_000, output: 20_000_000_000n },
  ])('$model with $reasoning reasoning of 5_000 output → output $output pico', ({ model, provider, reasoning, output }) => {
    const result = catalog.price({
      provider,
      model,
      usage: { inputTokens: 1_000, outputTokens: 5_000, reasoningTokens: reasoning },
    });
    expect(result.breakdown?.outputPico).toBe(output);
  });
});
