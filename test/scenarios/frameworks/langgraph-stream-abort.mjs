import { withRun } from '@costtrace/core';
import { chatModel, describeGraphError, twoNodeGraph } from './langgraph-shared.mjs';

// The research node streams its answer slowly past a $0.004 run budget: 10,000 output tokens of
// gpt-4.1-mini ($0.016) in 200 chunks of 50 tokens ($0.00008 each), 15 ms apart. The stream must stop
// with the request closed; the write node never runs.
export const replies = [{ chunks: 200, chunkDelayMs: 15, usage: { inputTokens: 40, outputTokens: 10_000 } }];

export default async function run(ctx) {
  const model = chatModel(ctx);
  let chunks = 0;
  const graph = twoNodeGraph(ctx, {
    model,
    nodes: {
      research: async (state) => {
        let notes = '';
        for await (const chunk of await model.stream([{ role: 'user', content: `Research ${state.topic} at length.` }])) {
          chunks++;
          notes += chunk.content;
        }
        return { notes };
      },
    },
  });
  try {
    await withRun('graph', { budgetUsd: 0.004 }, () => graph.invoke({ topic: 'a pond' }));
    return { stopped: false, chunks };
  } catch (err) {
    return { stopped: chunks > 0 && chunks < 200, ...describeGraphError(err) };
  }
}
