import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'plain answer', usage: { inputTokens: 200, outputTokens: 20 } }];

export default async function run(ctx) {
  const res = await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  return { content: res.choices[0].message.content };
}
