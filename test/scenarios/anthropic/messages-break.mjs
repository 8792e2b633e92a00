import { anthropicClient } from '../shared.mjs';

export const replies = [{ text: 'a b c d e f g h', chunks: 8, chunkDelayMs: 30, usage: { inputTokens: 20, outputTokens: 8 } }];

export default async function run(ctx) {
  const stream = await anthropicClient(ctx).messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 64,
    stream: true,
    messages: [{ role: 'user', content: 'letters' }],
  });
  let seen = 0;
  for await (const _ of stream) if (++seen === 3) break;
  return { seen };
}
