import { openaiClient } from '../shared.mjs';

// One finished model call, then a crash outside any promise chain: an uncaught exception.
export const replies = [{ text: 'Hello there friend', usage: { inputTokens: 120, outputTokens: 3 } }];

export default async function run(ctx) {
  const res = await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'Say hello' }] });
  setTimeout(() => {
    throw new Error('boom: uncaught in the app');
  }, 50);
  return { content: res.choices[0].message.content };
}
