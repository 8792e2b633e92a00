import { withRun } from '@costtrace/core';
import { describeError } from './ai-sdk-shared.mjs';
import { mastraAgents } from './mastra-shared.mjs';

// A slow gpt-4.1 stream worth $0.08 (10,000 output tokens at $8 per million, 200 chunks of 50
// tokens, 10 ms apart) under a $0.01 run budget: stopped mid-stream. Mastra ends a failed stream
// quietly and keeps its error on the result.
export const replies = [{ chunks: 200, chunkDelayMs: 10, usage: { inputTokens: 20, outputTokens: 10_000 } }];

export default async function run(ctx) {
  const { researcher } = mastraAgents(ctx, { quiet: true, openaiModel: 'gpt-4.1' });
  return withRun('stream-budget', { budgetUsd: 0.01 }, async () => {
    let deltas = 0;
    try {
      const stream = await researcher.stream('Write at length.');
      for await (const _ of stream.textStream) deltas++;
      return { stopped: deltas < 200, finishReason: await stream.finishReason, error: stream.error ? describeError(stream.error) : null };
    } catch (err) {
      return { stopped: deltas < 200, thrown: describeError(err) };
    }
  });
}
