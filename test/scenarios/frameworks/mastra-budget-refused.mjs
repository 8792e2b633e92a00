import { withRun } from '@costtrace/core';
import { describeError } from './ai-sdk-shared.mjs';
import { mastraAgents } from './mastra-shared.mjs';

// A run budget (the app's only costtrace code) too small for one gpt-4.1 call: refused before
// anything is sent. The agent allows Mastra's model retries (maxRetries: 2); none may be spent on it.
export const replies = [{ text: 'never sent' }];

export default async function run(ctx) {
  const { researcher } = mastraAgents(ctx, { maxRetries: 2, quiet: true, openaiModel: 'gpt-4.1' });
  return withRun('tiny-budget', { budgetUsd: 0.000001 }, async () => {
    try {
      const result = await researcher.generate('What do LLM calls cost?');
      return { text: result.text, finishReason: result.finishReason };
    } catch (err) {
      return { error: describeError(err) };
    }
  });
}
