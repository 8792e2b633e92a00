import { withRun } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';

// Shared by the process-ending scenarios: one finished call, then a stream in flight.
export const FINISHED = { text: 'done before', usage: { inputTokens: 100, outputTokens: 10 } };
// 40 deltas of 25 tokens, 40 ms apart: in flight for about 1.6 s.
export const SLOW_STREAM = { chunks: 40, chunkDelayMs: 40, usage: { inputTokens: 100, outputTokens: 1000 } };

/** Runs the finished call, starts the stream, calls `end` after `after` chunks, and goes on reading. */
export async function finishedThenInFlight(ctx, after, end) {
  const client = openaiClient(ctx);
  const messages = [{ role: 'user', content: 'hi' }];
  return withRun('ending', { budgetUsd: 5 }, async () => {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let n = 0;
    for await (const _ of stream) {
      if (++n === after) end();
    }
    process.stdout.write(`STREAM READ ${n}\n`);
    return n;
  });
}
