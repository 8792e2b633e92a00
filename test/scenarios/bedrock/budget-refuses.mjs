import { withRun } from '@costtrace/core';
import { bedrockClient } from './client.mjs';

// A run budget of $0.0001 cannot cover Claude 3.5 Haiku's 4,096 output tokens at $4 per million.
export default async function run(ctx) {
  return withRun('tiny', { budgetUsd: 0.0001 }, async () => {
    try {
      await bedrockClient(ctx).send(
        new ctx.sdk.ConverseCommand({
          modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
          messages: [{ role: 'user', content: [{ text: 'Write an essay' }] }],
          inferenceConfig: { maxTokens: 4_096 },
        }),
      );
      return { sent: true };
    } catch (err) {
      return { name: err.name, budget: err[Symbol.for('costtrace.BudgetExceededError')] === true, action: err.action };
    }
  });
}
