import { openaiClient, plain } from '../shared.mjs';

export const replies = [{ text: 'alpha beta gamma', chunks: 3, usage: { inputTokens: 30, outputTokens: 3, reasoningTokens: 0 } }];

// The caller asked for usage itself: it gets the usage chunk and the usage:null fields.
export default async function run(ctx) {
  const stream = await openaiClient(ctx).chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Three words' }],
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(plain(chunk));
  return { chunks: chunks.length, last: chunks.at(-1).usage, nullUsageOnContent: chunks.slice(0, -1).every((c) => c.usage === null) };
}
