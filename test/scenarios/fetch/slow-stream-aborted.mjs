import { withRun } from '@costtrace/core';
import { withDeadline } from '../lifecycle/deadline.mjs';
import { budgetError, postJson } from './wire.mjs';

// A slow gpt-4.1 stream with no max_tokens ($8 per million output tokens), 200 chunks of 50 tokens
// ($0.0004 each), under a $0.01 run budget (its 1,024-token output allowance, $0.0082, is admitted): it passes the budget after some 25 chunks and is aborted,
// the caller's pending read rejecting with the BudgetExceededError.
export const replies = [{ chunks: 200, chunkDelayMs: 20, usage: { inputTokens: 20, outputTokens: 10_000 } }];

export default async function run({ fakeUrl, headers }) {
  return withDeadline(10_000, 'the slow stream under a budget', () =>
    withRun('slow', { budgetUsd: 0.01 }, async () => {
      const res = await postJson(
        `${fakeUrl}/v1/chat/completions`,
        { model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'Write' }] },
        { headers },
      );
      const reader = res.body.getReader();
      let reads = 0;
      try {
        for (;;) {
          const { done } = await reader.read();
          if (done) return { reads, error: null };
          reads++;
        }
      } catch (err) {
        return { stopped: reads > 0 && reads < 200, error: budgetError(err) };
      }
    }),
  );
}
