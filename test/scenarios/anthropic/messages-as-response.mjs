import { anthropicClient } from '../shared.mjs';

export const replies = [{ text: 'raw', usage: { inputTokens: 11, outputTokens: 1 } }];

export default async function run(ctx) {
  const response = await anthropicClient(ctx)
    .messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'raw?' }] })
    .asResponse();
  const body = await response.json();
  return { status: response.status, text: body.content[0].text };
}
