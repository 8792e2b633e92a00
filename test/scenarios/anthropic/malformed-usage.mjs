import { anthropicClient } from '../shared.mjs';

export const replies = [{ text: 'still fine', rawUsage: { input_tokens: 'many', output_tokens: -1 } }];

// Usage that cannot be right: the call still works, the span uses our (over-)estimate.
export default async function run(ctx) {
  const msg = await anthropicClient(ctx).messages.create({ model: 'claude-haiku-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] });
  return { text: msg.content[0].text };
}
