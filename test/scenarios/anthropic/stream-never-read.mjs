import { anthropicClient } from '../shared.mjs';

export const replies = [{ text: 'unread', chunks: 2, usage: { inputTokens: 9, outputTokens: 2 } }];

export default async function run(ctx) {
  const stream = await anthropicClient(ctx).messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 16,
    stream: true,
    messages: [{ role: 'user', content: 'ignored' }],
  });
  await new Promise((r) => setTimeout(r, 900)); // past the tests' 500 ms unread timeout
  return { dropped: typeof stream.controller?.abort === 'function' };
}
