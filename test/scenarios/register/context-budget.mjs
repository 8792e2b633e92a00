import { withRun } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';

// A call under a withRun budget, then a call under none.
export const replies = [{ text: 'ok', usage: { inputTokens: 10, outputTokens: 2 } }];

export default async function run(ctx) {
  const client = openaiClient(ctx);
  const ask = () => client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
  const budgeted = await withRun('nightly', { budgetUsd: 5 }, async () => {
    try {
      await ask();
      return 'sent';
    } catch (err) {
      return err?.[Symbol.for('costtrace.BudgetExceededError')] === true ? `${err.action}: ${err.message}` : String(err);
    }
  });
  const free = await ask();
  return { budgeted, free: free.choices[0].message.content };
}
