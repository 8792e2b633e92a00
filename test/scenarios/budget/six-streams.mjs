import { withRun } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';

// Six parallel gpt-4.1 streams with no max_tokens, each worth $0.08 (10,000 output tokens at
// $8 per million) against a $0.05 run budget: 200 chunks of 50 tokens ($0.0004 each).
export const CHUNK_USD = 0.0004;
export const replies = Array.from({ length: 6 }, () => ({ chunks: 200, chunkDelayMs: 4, usage: { inputTokens: 20, outputTokens: 10_000 } }));

export default async function run(ctx) {
  const client = openaiClient(ctx);
  return withRun('fan-out', { budgetUsd: 0.05 }, () =>
    Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        let chunks = 0;
        try {
          const stream = await client.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: `write ${i}` }] });
          for await (const _ of stream) chunks++;
          return { chunks, error: null };
        } catch (err) {
          return { chunks, error: { name: err.name, budget: err[Symbol.for('costtrace.BudgetExceededError')] === true, action: err.action } };
        }
      }),
    ),
  );
}
