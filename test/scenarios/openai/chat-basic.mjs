import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'Hello there friend', usage: { inputTokens: 120, outputTokens: 3, cacheReadTokens: 64 } }];

export default async function run(ctx) {
  const res = await openaiClient(ctx).chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 50,
    temperature: 0.2,
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  return { content: res.choices[0].message.content, usage: res.usage, model: res.model };
}
