import { twoNodeGraph } from './langgraph-shared.mjs';

// A two-node graph; no costtrace code: each call must carry the name of the node that made it.
export const replies = [
  { text: 'ponds are still', usage: { inputTokens: 50, outputTokens: 3 } },
  { text: 'an old silent pond', usage: { inputTokens: 70, outputTokens: 4 } },
];

export default async function run(ctx) {
  const graph = twoNodeGraph(ctx);
  const state = await graph.invoke({ topic: 'a pond' });
  return state;
}
