import * as sdk from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setCallGate, type CallResult } from '@costtrace/pipeline';
import type { TokenUsage } from '@costtrace/semconv';
import { OutputEstimate } from '../src/estimate-tokens';
import { readAnthropicUsage } from '../src/read-anthropic-usage';
import { expectAllEnded, harness, MESSAGES, MESSAGES_ESTIMATE, type Harness } from './support';

const VERSION = '1.12.0';
const TEXT = 'still fine';
const counted = (() => {
  const e = new OutputEstimate();
  e.add(TEXT);
  return e.tokens;
})();

/** Every count the way pricing accepts it: a non-negative safe integer, parts inside their totals. */
function expectPriceable(usage: TokenUsage): void {
  for (const value of Object.values(usage)) expect(Number.isSafeInteger(value) && (value as number) >= 0).toBe(true);
  expect((usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0)).toBeLessThanOrEqual(usage.inputTokens!);
  expect(usage.reasoningTokens ?? 0).toBeLessThanOrEqual(usage.outputTokens!);
}

// Usage pricing would reject as `invalid` used to reach the budget as the provider's count, so the
// call was charged nothing; it is charged our estimate instead, as OpenAI's is.
describe('usage that pricing rejects is charged to the budget as an estimate', () => {
  let h: Harness;
  let ended: CallResult[];
  let charged: Array<[TokenUsage, boolean]>;
  let removeGate: () => void;
  beforeEach(async () => {
    h = await harness(sdk, VERSION);
    ended = [];
    charged = [];
    removeGate = setCallGate({ begin: () => ({ onUsage: (u, e) => charged.push([u, e]), end: (r) => ended.push(r) }) });
  });
  afterEach(async () => {
    removeGate();
    expectAllEnded(h, expect);
    await h.close();
  });

  it.each([
    ['a negative output count', { input_tokens: 40, output_tokens: -1 }, { inputTokens: 40, outputTokens: counted }],
    ['a fractional input count', { input_tokens: 12.5, output_tokens: 3 }, { inputTokens: MESSAGES_ESTIMATE, outputTokens: 3 }],
    ['a string input count', { input_tokens: 'many', output_tokens: 3 }, { inputTokens: MESSAGES_ESTIMATE, outputTokens: 3 }],
    ['a huge output count', { input_tokens: 40, output_tokens: 1e300 }, { inputTokens: 40, outputTokens: counted }],
    [
      'cache counts whose sum with the input is not a safe integer',
      { input_tokens: 1, output_tokens: 3, cache_read_input_tokens: Number.MAX_SAFE_INTEGER },
      { inputTokens: MESSAGES_ESTIMATE, outputTokens: 3 },
    ],
  ])('a non-streaming message with %s', async (_name, rawUsage, expected) => {
    h.fake.script({ text: TEXT, rawUsage });
    const message = await h.client.messages.create({ model: 'claude-test-1', max_tokens: 256, messages: MESSAGES });
    expect(message.content[0].text).toBe(TEXT);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.usageEstimated).toBe(true);
    expect(ended[0]!.usage).toEqual(expected);
    expectPriceable(ended[0]!.usage!);
    expect(h.spans()[0]!.attributes['costtrace.usage.estimated']).toBe(true);
  });

  it('a stream whose final usage is invalid is charged its running estimate', async () => {
    h.fake.script({ text: 'one two three', chunks: 3, rawUsage: { input_tokens: 40, output_tokens: 2.5 } });
    const stream = await h.client.messages.create({ model: 'claude-test-1', max_tokens: 256, messages: MESSAGES, stream: true });
    for await (const _ of stream);
    expect(ended[0]!.usageEstimated).toBe(true);
    expect(ended[0]!.usage!.inputTokens).toBe(40);
    expect(ended[0]!.usage!.outputTokens).toBeGreaterThan(0);
    expectPriceable(ended[0]!.usage!);
    for (const [usage, estimated] of charged) {
      expect(estimated).toBe(true);
      expectPriceable(usage);
    }
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a negative count', -5],
    ['a fraction', 0.5],
    ['a count past 2^53', 2 ** 60],
  ])('reads %s as no count', (_name, value) => {
    expect(readAnthropicUsage({ input_tokens: value, output_tokens: 7 })).toEqual({ outputTokens: 7 });
  });
});
