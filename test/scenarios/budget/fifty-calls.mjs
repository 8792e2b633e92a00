import { withRun } from '@costtrace/core';
import { anthropicClient } from '../shared.mjs';

// Fifty parallel claude-haiku-4-5 calls with max_tokens 1000: each reserves at most
// 1000 × $5 per million = $0.005 plus its input estimate, so $0.0525 covers ten and not eleven.
export const BUDGET_USD = 0.0525;
export const replies = Array.from({ length: 50 }, () => ({ text: 'ok', usage: { inputTokens: 100, outputTokens: 800 } }));

export default async function run(ctx) {
  const client = anthropicClient(ctx);
  return withRun('burst', { budgetUsd: BUDGET_USD }, async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1000, messages: [{ role: 'user', content: `call ${i}` }] }),
      ),
    );
    return {
      sent: results.filter((r) => r.status === 'fulfilled').length,
      refused: results.filter((r) => r.status === 'rejected' && r.reason[Symbol.for('costtrace.BudgetExceededError')] === true && r.reason.action === 'refused').length,
    };
  });
}
