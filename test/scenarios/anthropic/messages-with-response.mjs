import { anthropicClient } from '../shared.mjs';

export const replies = [{ text: 'ok', usage: { inputTokens: 11, outputTokens: 1 } }];

export default async function run(ctx) {
  const { data, response } = await anthropicClient(ctx)
    .messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'ok?' }] })
    .withResponse();
  return { text: data.content[0].text, status: response.status };
}
