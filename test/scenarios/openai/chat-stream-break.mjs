import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'a b c d e f g h i j', chunks: 10, chunkDelayMs: 30, usage: { inputTokens: 20, outputTokens: 10 } }];

export default async function run(ctx) {
  const stream = await openaiClient(ctx).chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'Ten letters' }],
  });
  let seen = 0;
  for await (const _ of stream) if (++seen === 2) break;
  return { seen };
}
