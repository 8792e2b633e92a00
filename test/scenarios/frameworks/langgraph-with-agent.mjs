import { withAgent } from '@costtrace/core';
import { chatModel, twoNodeGraph } from './langgraph-shared.mjs';

// The app names one node's call itself with withAgent: its name wins over the node's.
export const replies = [
  { text: 'ponds are still', usage: { inputTokens: 50, outputTokens: 3 } },
  { text: 'an old silent pond', usage: { inputTokens: 70, outputTokens: 4 } },
];

export default async function run(ctx) {
  const model = chatModel(ctx);
  const graph = twoNodeGraph(ctx, {
    model,
    nodes: {
      write: (state) =>
        withAgent('editor', async () => {
          const reply = await model.invoke([{ role: 'user', content: `Write about ${state.topic} from: ${state.notes}` }]);
          return { draft: reply.content };
        }),
    },
  });
  return graph.invoke({ topic: 'a pond' });
}
