import { withRun } from '@costtrace/core';
import { anthropicClient } from '../shared.mjs';
import { budgetError, withDeadline } from './deadline.mjs';

// claude-haiku-4-5 at $1 input, $5 output per million tokens. The request's small prompt and
// max_tokens fit the $0.05 run budget; the response reports 60,000 input tokens ($0.06), so the
// call's own usage crosses the budget after its whole body arrived.
export const replies = [{ text: 'fine', usage: { inputTokens: 60_000, outputTokens: 5 } }];

export default async function run(ctx) {
  const client = anthropicClient(ctx);
  return withDeadline(5_000, 'the message whose own usage crossed the budget', () =>
    withRun('own-crossing', { budgetUsd: 0.05 }, async () => {
      try {
        const message = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
        return { text: message.content[0].text };
      } catch (err) {
        return budgetError(err);
      }
    }),
  );
}
