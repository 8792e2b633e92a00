import { withRun } from '@costtrace/core';
import { describeError, providers, telemetry } from './ai-sdk-shared.mjs';

// A run budget (the app's only costtrace code) too small for one gpt-4.1 call: refused before
// anything is sent. The AI SDK's default maxRetries (2) must not retry it.
export const replies = [{ text: 'never sent' }];

export default async function run(ctx) {
  const { ToolLoopAgent } = ctx.sdks.ai;
  const { openai } = providers(ctx);
  const researcher = new ToolLoopAgent({ model: openai.chat('gpt-4.1'), instructions: 'Find facts.', experimental_telemetry: telemetry(ctx, 'researcher') });
  return withRun('tiny-budget', { budgetUsd: 0.000001 }, async () => {
    try {
      const result = await researcher.generate({ prompt: 'What do LLM calls cost?' });
      return { text: result.text };
    } catch (err) {
      return { error: describeError(err) };
    }
  });
}
