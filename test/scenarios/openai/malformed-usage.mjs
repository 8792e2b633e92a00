import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'still fine', rawUsage: { prompt_tokens: 'lots', completion_tokens: -5, total_tokens: null } }];

// A provider (or proxy) sends usage that cannot be right: the call still works, the span uses our estimate.
export default async function run(ctx) {
  const res = await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  return { content: res.choices[0].message.content, usage: res.usage };
}
