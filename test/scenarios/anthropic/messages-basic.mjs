import { anthropicClient } from '../shared.mjs';

export const replies = [
  {
    text: 'Bonjour',
    usage: { inputTokens: 1_300, outputTokens: 12, cacheReadTokens: 1_000, cacheWriteTokens: 200, cacheWrite5mTokens: 150, cacheWrite1hTokens: 50 },
  },
];

export default async function run(ctx) {
  const msg = await anthropicClient(ctx).messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say hello in French' }],
  });
  return { text: msg.content[0].text, usage: msg.usage, stop: msg.stop_reason };
}
