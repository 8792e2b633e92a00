import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'x y z', chunks: 3, usage: { inputTokens: 12, outputTokens: 3 } }];

export default async function run(ctx) {
  const stream = await openaiClient(ctx).chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'xyz' }],
  });
  const [left, right] = stream.tee();
  const read = async (s) => {
    let text = '';
    for await (const c of s) text += c.choices[0]?.delta?.content ?? '';
    return text;
  };
  const [a, b] = await Promise.all([read(left), read(right)]);
  return { a, b };
}
