import { anthropicClient } from '../shared.mjs';

export const replies = [{ text: 'beta', usage: { inputTokens: 33, outputTokens: 1 } }];

export default async function run(ctx) {
  const msg = await anthropicClient(ctx).beta.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 32,
    messages: [{ role: 'user', content: 'beta?' }],
  });
  return { text: msg.content[0].text };
}
