import { withRun } from '@costtrace/core';
import { chatModel, describeGraphError, twoNodeGraph } from './langgraph-shared.mjs';

// The research node asks two questions at once: one waits for its answer (3 s before the headers),
// the other's reported input ($0.06: 30,000 tokens of gpt-4.1 at $2 per million) crosses the $0.05
// run budget, which stops the first in flight. LangChain turns the SDK's abort error into an
// `AbortError` of its own: the app must still find the budget error behind it.
export const replies = [
  { text: 'slow', delayMs: 3000 },
  { text: 'big', usage: { inputTokens: 30_000, outputTokens: 5 } },
];

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function run(ctx) {
  const model = chatModel(ctx, { model: 'gpt-4.1', maxTokens: 100 });
  const graph = twoNodeGraph(ctx, {
    model,
    nodes: {
      research: async () => {
        const slow = model.invoke([{ role: 'user', content: 'slow' }]).then((r) => ({ ok: r.content }), describeGraphError);
        await pause(300); // the slow request is at the server, waiting for its headers
        const big = await model.invoke([{ role: 'user', content: 'big' }]).then((r) => ({ ok: r.content }), describeGraphError);
        return { notes: JSON.stringify({ slow: await slow, big }) };
      },
      write: async () => ({ draft: 'not written' }),
    },
  });
  const state = await withRun('graph', { budgetUsd: 0.05 }, () => graph.invoke({ topic: 'a pond' }));
  return JSON.parse(state.notes);
}
