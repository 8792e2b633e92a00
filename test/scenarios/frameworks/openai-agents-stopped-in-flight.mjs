import { withRun } from '@costtrace/core';
import { describeAgentsError, plannerAndWriter } from './openai-agents-shared.mjs';

// Two runs of the app's planner at once under one $0.05 run budget: the first waits for its answer
// (3 s before the headers), the second's reported input ($0.06: 30,000 tokens of gpt-4.1 at $2 per
// million) crosses the budget and stops the first in flight. The app must find the budget error.
export const replies = [
  { text: 'slow', delayMs: 3000 },
  { text: 'big', usage: { inputTokens: 30_000, outputTokens: 5 } },
];

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function run(ctx) {
  const { runner, planner } = plannerAndWriter(ctx, { model: 'gpt-4.1', modelSettings: { maxTokens: 100 } });
  return withRun('haiku', { budgetUsd: 0.05 }, async () => {
    const slow = runner.run(planner, 'slow').then((r) => ({ ok: r.finalOutput }), describeAgentsError);
    await pause(300); // the slow request is at the server, waiting for its headers
    const big = await runner.run(planner, 'big').then((r) => ({ ok: r.finalOutput }), describeAgentsError);
    return { slow: await slow, big };
  });
}
