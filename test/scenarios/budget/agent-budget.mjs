import { withAgent, withRun } from '@costtrace/core';
import { anthropicClient, openaiClient } from '../shared.mjs';

// A $0.01 researcher budget inside a $10 run: the researcher is stopped, the writer carries on.
export const replies = [
  { text: 'first finding', usage: { inputTokens: 500, outputTokens: 500 } }, // gpt-4.1: 500 × 2 + 500 × 8 = $0.005
  { text: 'draft', usage: { inputTokens: 300, outputTokens: 200 } }, // the writer, claude-haiku-4-5
];

export default async function run(ctx) {
  const openai = openaiClient(ctx);
  const anthropic = anthropicClient(ctx);
  return withRun('report', { budgetUsd: 10 }, async () => {
    const researcher = await withAgent('researcher', { budgetUsd: 0.01 }, async () => {
      const results = [];
      for (let i = 0; i < 2; i++) {
        try {
          // Worst case each: 1000 output tokens × $8 per million = $0.008, plus input.
          const res = await openai.chat.completions.create({ model: 'gpt-4.1', max_tokens: 1000, messages: [{ role: 'user', content: `research ${i}` }] });
          results.push({ ok: res.choices[0].message.content });
        } catch (err) {
          results.push({ budget: err[Symbol.for('costtrace.BudgetExceededError')] === true, action: err.action, scope: err.scope?.name, limitUsd: err.limitUsd });
        }
      }
      return results;
    });
    const writer = await withAgent('writer', async () => {
      const msg = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 500, messages: [{ role: 'user', content: 'write' }] });
      return msg.content[0].text;
    });
    return { researcher, writer };
  });
}
