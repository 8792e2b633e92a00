import { openaiClient, plain } from '../shared.mjs';

export const replies = [{ text: 'one two three four five', chunks: 5, usage: { inputTokens: 40, outputTokens: 5 } }];

// The caller did not ask for include_usage: it must see exactly the chunks it would without instrumentation.
export default async function run(ctx) {
  const stream = await openaiClient(ctx).chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'Count to five' }],
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(plain(chunk));
  return { chunks: chunks.map(({ id, created, ...rest }) => rest), hasController: typeof stream.controller?.abort === 'function' };
}
