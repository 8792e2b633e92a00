import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'A response', usage: { inputTokens: 50, outputTokens: 2, cacheReadTokens: 10, reasoningTokens: 1 } }];

export default async function run(ctx) {
  const res = await openaiClient(ctx).responses.create({ model: 'gpt-4.1', input: 'Say something', max_output_tokens: 100 });
  return { text: res.output_text, usage: res.usage };
}
