import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'never read', chunks: 2, usage: { inputTokens: 8, outputTokens: 2 } }];

// The caller drops the stream without reading it: the span still ends (unread-stream timeout or shutdown).
export default async function run(ctx) {
  const stream = await openaiClient(ctx).chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'ignored' }],
  });
  await new Promise((r) => setTimeout(r, 900)); // past the tests' 500 ms unread timeout
  return { dropped: typeof stream.controller?.abort === 'function' };
}
