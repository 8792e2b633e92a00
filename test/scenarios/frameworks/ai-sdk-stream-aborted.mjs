import { withRun } from '@costtrace/core';
import { describeError, providers, telemetry } from './ai-sdk-shared.mjs';

// A slow gpt-4.1 stream worth $0.08 (10,000 output tokens at $8 per million, 200 chunks of 50
// tokens, 10 ms apart) under a $0.01 run budget: stopped mid-stream. The app reads the AI SDK's
// full stream, where a failed stream ends in an `error` part.
export const replies = [{ chunks: 200, chunkDelayMs: 10, usage: { inputTokens: 20, outputTokens: 10_000 } }];

export default async function run(ctx) {
  const { ToolLoopAgent } = ctx.sdks.ai;
  const { openai } = providers(ctx);
  const errors = [];
  // The app's own error handler (without one, the AI SDK prints a stream's error to stderr).
  const onError = ({ error }) => errors.push(describeError(error));
  const writer = new ToolLoopAgent({ model: openai.chat('gpt-4.1'), instructions: 'Write.', experimental_telemetry: telemetry(ctx, 'writer'), onError });
  return withRun('stream-budget', { budgetUsd: 0.01 }, async () => {
    let deltas = 0;
    try {
      const stream = await writer.stream({ prompt: 'Write at length.' });
      for await (const part of stream.fullStream) {
        if (part.type === 'text-delta') deltas++;
        if (part.type === 'error') errors.push(describeError(part.error));
      }
      return { stopped: deltas < 200, errors };
    } catch (err) {
      return { stopped: deltas < 200, errors, thrown: describeError(err) };
    }
  });
}
