import { withRun } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';
import { budgetError, withDeadline } from './deadline.mjs';

// Under a $0.05 run budget: a stream whose whole body arrives at once but whose caller reads it
// slowly, and a non-streaming gpt-4.1 call reporting 10,000 output tokens ($0.08, $2 input and
// $8 output per million) that crosses the budget while the stream's caller is between reads.
export const replies = [
  { text: 'one two three four five', chunks: 5, usage: { inputTokens: 20, outputTokens: 5 } },
  { text: 'done', usage: { inputTokens: 20, outputTokens: 10_000 } },
];

export default async function run(ctx) {
  const client = openaiClient(ctx);
  return withDeadline(5_000, 'the stream aborted by a parallel crossing', () =>
    withRun('parallel-crossing', { budgetUsd: 0.05 }, async () => {
      const stream = await client.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'count' }] });
      let other;
      let chunks = 0;
      try {
        for await (const _ of stream) {
          if (++chunks !== 2) continue;
          // The body has arrived by now; the other call crosses the budget before the next read.
          await new Promise((resolve) => setTimeout(resolve, 100));
          other = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'big' }] }).then(
            (r) => r.choices[0].message.content,
            (err) => budgetError(err),
          );
        }
        return { stream: { chunks, error: null }, other };
      } catch (err) {
        return { stream: { chunks, error: budgetError(err) }, other };
      }
    }),
  );
}
