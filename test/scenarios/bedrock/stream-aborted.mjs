import { withRun } from '@costtrace/core';
import { withDeadline, budgetError } from '../lifecycle/deadline.mjs';
import { bedrockClient } from './client.mjs';

// A slow ConverseStream with no maxTokens under a $0.005 run budget: Nova Pro's output is $3.20 per
// million, so the running count crosses after about 650 words, long before the 2,000th (the gate
// first reserves 1,024 output tokens, $0.0033, for a request with no maxTokens).
export const replies = [{ chunks: 2_000, chunkDelayMs: 2, usage: { inputTokens: 20, outputTokens: 2_000 } }];

export default async function run(ctx) {
  return withDeadline(10_000, 'stream-aborted', () =>
    withRun('slow', { budgetUsd: 0.005 }, async () => {
      let events = 0;
      try {
        const output = await bedrockClient(ctx).send(
          new ctx.sdk.ConverseStreamCommand({
            modelId: 'amazon.nova-pro-v1:0',
            messages: [{ role: 'user', content: [{ text: 'Write at length' }] }],
          }),
        );
        for await (const _ of output.stream) events++;
        return { events, ended: 'normally' };
      } catch (err) {
        return { aborted: events > 1 && events < 2_000, error: budgetError(err) };
      }
    }),
  );
}
