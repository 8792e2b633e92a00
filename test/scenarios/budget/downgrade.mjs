import { withRun } from '@costtrace/core';
import { anthropicClient } from '../shared.mjs';

// A $1 run with a 0.5 soft limit and COSTTRACE_BUDGET_DOWNGRADES=claude-opus-4-7=claude-haiku-4-5:
// the first Opus call costs $0.60 (20,000 × $5 + 20,000 × $25 per million), so the second goes to Haiku.
export const replies = [
  { text: 'long analysis', usage: { inputTokens: 20_000, outputTokens: 20_000 } },
  { text: 'short follow-up', usage: { inputTokens: 1_000, outputTokens: 1_000 } },
];

export default async function run(ctx) {
  const client = anthropicClient(ctx);
  return withRun('analysis', { budgetUsd: 1, warnRatio: 0.5 }, async () => {
    const models = [];
    for (const prompt of ['analyse', 'follow up']) {
      const msg = await client.messages.create({ model: 'claude-opus-4-7', max_tokens: 20_000, messages: [{ role: 'user', content: prompt }] });
      models.push(msg.model);
    }
    return { models };
  });
}
