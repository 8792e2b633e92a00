import { withRun } from '@costtrace/core';
import { openaiClient, plain } from '../shared.mjs';
import { withDeadline } from './deadline.mjs';

// gpt-4.1 at $2 input, $8 output per million tokens. No max_tokens, so only the input is reserved;
// the three words stream in as a few estimated tokens, then the final usage chunk reports 10,000
// output tokens ($0.08) against the $0.05 run budget: the stream's own last chunk crosses it.
export const replies = [{ text: 'one two three', chunks: 3, usage: { inputTokens: 20, outputTokens: 10_000 } }];

export default async function run(ctx) {
  const client = openaiClient(ctx);
  return withDeadline(5_000, 'the stream whose own usage crossed the budget', () =>
    withRun('own-crossing', { budgetUsd: 0.05 }, async () => {
      const stream = await client.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'count' }] });
      const chunks = [];
      for await (const chunk of stream) chunks.push(plain(chunk));
      return { chunks: chunks.length, text: chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('') };
    }),
  );
}
