import { handoffReply, plannerAndWriter } from './openai-agents-shared.mjs';

// The planner-to-writer handoff as a streamed run: both turns stream, the handoff as a streamed
// function call. No costtrace code: each call must carry the name of the agent that made it.
export const replies = [handoffReply(), { text: 'an old silent pond', usage: { inputTokens: 80, outputTokens: 5 } }];

export default async function run(ctx) {
  const { runner, planner } = plannerAndWriter(ctx);
  const result = await runner.run(planner, 'Write a haiku about a pond.', { stream: true });
  let text = '';
  for await (const chunk of result.toTextStream()) text += chunk;
  await result.completed;
  return { text, finalOutput: result.finalOutput, lastAgent: result.lastAgent.name };
}
