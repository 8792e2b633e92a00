import { withRun } from '@costtrace/core';
import { withDeadline } from '../lifecycle/deadline.mjs';
import { genaiClient } from './genai.mjs';
import { budgetError } from './wire.mjs';

// A slow gemini-2.5-pro stream with no maxOutputTokens ($10 per million output tokens), 200 chunks of
// 50 tokens ($0.0005 each), under a $0.02 run budget (its output allowance is admitted): the running
// count passes the budget after some 40 chunks (Gemini's intermediate chunks carry no output count,
// so the codec counts the text), the request is aborted and the app's iteration rejects.
export const replies = [{ chunks: 200, chunkDelayMs: 20, usage: { inputTokens: 20, outputTokens: 10_000 } }];

export default async function run(ctx) {
  return withDeadline(10_000, 'the slow Gemini stream under a budget', () =>
    withRun('slow-gemini', { budgetUsd: 0.02 }, async () => {
      let chunks = 0;
      try {
        const stream = await genaiClient(ctx).models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'Write at length' });
        for await (const _ of stream) chunks++;
        return { chunks, error: null };
      } catch (err) {
        return { stopped: chunks > 0 && chunks < 200, error: budgetError(err) };
      }
    }),
  );
}
