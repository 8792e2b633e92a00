import { handoffReply, plannerAndWriter } from './openai-agents-shared.mjs';

// A planner agent hands off to a writer; both call the model through the app's own OpenAI client.
// No costtrace code: each call must carry the name of the agent that made it.
export const replies = [handoffReply(), { text: 'an old silent pond', usage: { inputTokens: 80, outputTokens: 5 } }];

export default async function run(ctx) {
  const { runner, planner } = plannerAndWriter(ctx);
  const result = await runner.run(planner, 'Write a haiku about a pond.');
  return { finalOutput: result.finalOutput, lastAgent: result.lastAgent.name, items: result.newItems.map((i) => i.type) };
}
