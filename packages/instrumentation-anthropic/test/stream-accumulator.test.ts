import { describe, expect, it } from 'vitest';
import { StreamAccumulator } from '../src/stream-accumulator';

const start = (usage: Record<string, unknown>) => ({ type: 'message_start', message: { id: 'msg_1', model: 'claude-haiku-4-5', usage } });
const delta = (usage: Record<string, unknown>) => ({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage });

describe('StreamAccumulator usage', () => {
  it('keeps message_start cache counts when message_delta repeats input with null cache fields', () => {
    const acc = new StreamAccumulator(false);
    acc.add(start({ input_tokens: 10, cache_read_input_tokens: 5000, cache_creation_input_tokens: 0, output_tokens: 1 }));
    const final = acc.add(delta({ input_tokens: 10, cache_read_input_tokens: null, cache_creation_input_tokens: null, output_tokens: 20 }));
    // input = 10 uncached + 5000 read + 0 written: never below the cache read it includes.
    expect(final).toEqual({
      usage: { inputTokens: 5010, outputTokens: 20, cacheReadTokens: 5000, cacheWriteTokens: 0 },
      estimated: false,
    });
  });

  it('takes input and cache counts from message_delta when it sends them', () => {
    const acc = new StreamAccumulator(false);
    acc.add(start({ input_tokens: 10, output_tokens: 1 }));
    const final = acc.add(delta({ input_tokens: 12, cache_read_input_tokens: 100, cache_creation_input_tokens: 50, output_tokens: 7 }));
    expect(final).toEqual({
      usage: { inputTokens: 162, outputTokens: 7, cacheReadTokens: 100, cacheWriteTokens: 50 },
      estimated: false,
    });
  });

  it('reads output-only message_delta usage (the classic API) on top of message_start', () => {
    const acc = new StreamAccumulator(false);
    acc.add(start({ input_tokens: 40, cache_read_input_tokens: 60, output_tokens: 1 }));
    expect(acc.add(delta({ output_tokens: 9 }))).toEqual({
      usage: { inputTokens: 100, outputTokens: 9, cacheReadTokens: 60 },
      estimated: false,
    });
  });
});
