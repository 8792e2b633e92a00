import { anthropicClient, plain } from '../shared.mjs';

export const replies = [{ text: 'one two three', chunks: 3, usage: { inputTokens: 90, outputTokens: 3, cacheReadTokens: 40 } }];

export default async function run(ctx) {
  const stream = await anthropicClient(ctx).messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 64,
    stream: true,
    messages: [{ role: 'user', content: 'count' }],
  });
  const events = [];
  for await (const event of stream) events.push(plain(event));
  return { types: events.map((e) => e.type), hasController: typeof stream.controller?.abort === 'function' };
}
