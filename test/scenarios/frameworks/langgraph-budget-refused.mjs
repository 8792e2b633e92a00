import { withRun } from '@costtrace/core';
import { chatModel, describeGraphError, twoNodeGraph } from './langgraph-shared.mjs';

// The only costtrace code: a run budget too small for the first node's call (worst case: 1,000
// output tokens of gpt-4.1-mini at $1.60 per million). Two models: LangChain's default retry
// (six retries with backoff, about 100 s) and an app whose failed-attempt handler retries anything.
export const replies = [];

export default async function run(ctx) {
  const results = {};
  const models = {
    defaultRetries: chatModel(ctx, { maxTokens: 1000 }),
    retryAnything: chatModel(ctx, { maxTokens: 1000, onFailedAttempt: () => {} }),
  };
  for (const [name, model] of Object.entries(models)) {
    try {
      await withRun(`graph ${name}`, { budgetUsd: 0.0001 }, () => twoNodeGraph(ctx, { model }).invoke({ topic: 'a pond' }));
      results[name] = { refused: false };
    } catch (err) {
      results[name] = describeGraphError(err);
    }
  }
  return results;
}
