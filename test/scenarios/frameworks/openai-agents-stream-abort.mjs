import { withRun } from '@costtrace/core';
import { describeAgentsError, plannerAndWriter } from './openai-agents-shared.mjs';

// A streamed run whose planner writes slowly past a $0.004 run budget: 10,000 output tokens of
// gpt-4.1-mini ($0.016) in 200 chunks of 50 tokens ($0.00008 each), 15 ms apart. The stream must
// stop with the request closed, and the app's loop must end in the budget error.
export const replies = [{ chunks: 200, chunkDelayMs: 15, usage: { inputTokens: 40, outputTokens: 10_000 } }];

export default async function run(ctx) {
  const { runner, planner } = plannerAndWriter(ctx);
  let deltas = 0;
  try {
    await withRun('haiku', { budgetUsd: 0.004 }, async () => {
      const result = await runner.run(planner, 'Write a long poem.', { stream: true });
      for await (const event of result) if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') deltas++;
      await result.completed;
      if (result.error) throw result.error;
    });
    return { deltas, stopped: false };
  } catch (err) {
    return { stopped: deltas > 0 && deltas < 200, ...describeAgentsError(err) };
  }
}
