import { openaiClient } from '../shared.mjs';

// One finished model call, then a promise rejected with nobody to handle it.
export const replies = [{ text: 'Hello there friend', usage: { inputTokens: 120, outputTokens: 3 } }];

export default async function run(ctx) {
  const res = await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'Say hello' }] });
  setTimeout(() => void Promise.reject(new Error('boom: rejected in the app')), 50);
  return { content: res.choices[0].message.content };
}
