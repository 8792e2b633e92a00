import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../src/index';
import type { TokenUsage } from '../src/index';

const catalog = new PriceCatalog({ overridesFile: '' });

describe('usage that cannot be right gives an invalid result, never a throw', () => {
  it.each<[string, unknown, string]>([
    ['negative input', { inputTokens: -1, outputTokens: 10 }, 'usage.inputTokens must be a non-negative integer, got -1'],
    ['NaN output', { inputTokens: 10, outputTokens: NaN }, 'usage.outputTokens must be a non-negative integer, got NaN'],
    ['Infinity input', { inputTokens: Infinity, outputTokens: 1 }, 'usage.inputTokens must be a non-negative integer, got Infinity'],
    ['non-integer cache read', { inputTokens: 10, cacheReadTokens: 1.5 }, 'usage.cacheReadTokens must be a non-negative integer, got 1.5'],
    ['a string count', { inputTokens: '10', outputTokens: 1 }, 'usage.inputTokens must be a non-negative integer, got "10"'],
    ['an unsafe integer', { inputTokens: 2 ** 53, outputTokens: 1 }, 'usage.inputTokens must be a non-negative integer, got 9007199254740992'],
    ['missing input', { outputTokens: 10 }, 'usage.inputTokens is missing'],
    ['no usage at all', undefined, 'usage is missing'],
    ['cache reads larger than input', { inputTokens: 10, cacheReadTokens: 11 }, 'cache reads + cache writes (11 + 0) exceed inputTokens (10); inputTokens must count all input, cached included'],
    ['cache reads + writes larger than input', { inputTokens: 10, cacheReadTokens: 6, cacheWriteTokens: 5 }, 'cache reads + cache writes (6 + 5) exceed inputTokens (10); inputTokens must count all input, cached included'],
    ['1h + 5m writes larger than all writes', { inputTokens: 10, cacheWriteTokens: 4, cacheWrite1hTokens: 5 }, 'usage.cacheWrite5mTokens + cacheWrite1hTokens (5) exceed cacheWriteTokens (4)'],
    ['reasoning larger than output', { inputTokens: 10, outputTokens: 5, reasoningTokens: 6 }, 'usage.reasoningTokens (6) exceed outputTokens (5)'],
    ['reasoning with no output count', { inputTokens: 10, reasoningTokens: 1 }, 'usage.reasoningTokens (1) exceed outputTokens (0)'],
    ['audio input larger than input', { inputTokens: 10, inputAudioTokens: 11 }, 'usage.inputAudioTokens (11) exceed inputTokens (10)'],
  ])('%s', (_title, usage, reason) => {
    const result = catalog.price({ provider: 'openai', model: 'gpt-4o', usage: usage as TokenUsage });
    expect(result).toEqual({ status: 'invalid', priceVersion: 'genai-prices@0.1.8', reason });
  });

  it.each<[string, unknown]>([
    ['a null call', null],
    ['a model that is not a string', { model: 42, usage: { inputTokens: 1 } }],
    ['an invalid date', { model: 'gpt-4o', usage: { inputTokens: 1 }, time: new Date('nope') }],
  ])('rejects %s as invalid', (_title, call) => {
    expect(() => catalog.price(call as never)).not.toThrow();
    expect(catalog.price(call as never).status).toBe('invalid');
  });

  it('prices a call with zero tokens at $0 (a real zero, status priced)', () => {
    const result = catalog.price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 0, outputTokens: 0 } });
    expect(result.status).toBe('priced');
    expect(result.totalPico).toBe(0n);
  });
});
