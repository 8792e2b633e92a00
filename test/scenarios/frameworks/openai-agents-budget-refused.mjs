import { withRun } from '@costtrace/core';
import { describeAgentsError, plannerAndWriter } from './openai-agents-shared.mjs';

// The only costtrace code: a run budget too small for the planner's first call (worst case: 1,000
// output tokens of gpt-4.1-mini at $1.60 per million). The app asked the runner to retry any failed
// model call three times; a refused call must not be retried (it would only be refused again).
export const replies = [];

export default async function run(ctx) {
  const retry = { maxRetries: 3, backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: false }, policy: () => true };
  const { runner, planner } = plannerAndWriter(ctx, { modelSettings: { maxTokens: 1000, retry } });
  try {
    await withRun('haiku', { budgetUsd: 0.0001 }, () => runner.run(planner, 'Write a haiku about a pond.'));
    return { refused: false };
  } catch (err) {
    return describeAgentsError(err);
  }
}
