import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../src/index';

const catalog = new PriceCatalog({ overridesFile: '' });

/** The worst case the long way: every mix of input modality (text, audio) and output modality (text, reasoning, audio). */
function bruteForce(provider: string, model: string, input: number, output: number, write: number): bigint {
  let worst = -1n;
  for (const inputAudioTokens of [0, input - write]) {
    for (const [reasoningTokens, outputAudioTokens] of [[0, 0], [output, 0], [0, output]]) {
      const r = catalog.price({
        provider,
        model,
        usage: { inputTokens: input, outputTokens: output, cacheWriteTokens: write, inputAudioTokens, reasoningTokens, outputAudioTokens },
      });
      if (r.totalPico! > worst) worst = r.totalPico!;
    }
  }
  return worst;
}

describe('estimateMaxCost in one pass', () => {
  it.each([
    ['openai', 'gpt-4o-realtime-preview'],
    ['openai', 'gpt-4o-audio-preview'],
    ['openai', 'gpt-4o'],
    ['openai', 'o3'],
    ['anthropic', 'claude-sonnet-4-5'],
    ['anthropic', 'claude-opus-4-7'],
  ])('gives the priciest mix of modalities for %s %s, at every input size and price level', (provider, model) => {
    for (const input of [0, 1, 999, 150_000, 250_000]) {
      for (const output of [0, 1, 4_096]) {
        for (const write of provider === 'anthropic' && input > 0 ? [0, 1] : [0]) {
          const estimate = catalog.estimateMaxCost({ provider, model, inputTokens: input, maxOutputTokens: output, cacheWriteTokens: write });
          expect([input, output, write, estimate.totalPico]).toEqual([input, output, write, bruteForce(provider, model, input, output, write)]);
        }
      }
    }
  });
});
