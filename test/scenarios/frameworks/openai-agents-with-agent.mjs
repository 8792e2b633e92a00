import { withAgent } from '@costtrace/core';
import { handoffReply, plannerAndWriter } from './openai-agents-shared.mjs';

// The app names the whole run itself with withAgent: its name wins over the SDK's agents.
export const replies = [handoffReply(), { text: 'an old silent pond', usage: { inputTokens: 80, outputTokens: 5 } }];

export default async function run(ctx) {
  const { runner, planner } = plannerAndWriter(ctx);
  const result = await withAgent('haiku-team', () => runner.run(planner, 'Write a haiku about a pond.'));
  return { finalOutput: result.finalOutput, lastAgent: result.lastAgent.name };
}
