import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'p q r s', chunks: 4, usage: { inputTokens: 14, outputTokens: 4 } }];

// toReadableStream() hands the bytes to another consumer (e.g. a browser); the span still ends with usage.
export default async function run(ctx) {
  const stream = await openaiClient(ctx).chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'pqrs' }],
  });
  const reader = stream.toReadableStream().getReader();
  const decoder = new TextDecoder();
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    lines += decoder.decode(value).split('\n').filter(Boolean).length;
  }
  return { lines };
}
