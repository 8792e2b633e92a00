import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'ok', usage: { inputTokens: 10, outputTokens: 1 } }];

export default async function run(ctx) {
  const { data, response } = await openaiClient(ctx)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ok?' }] })
    .withResponse();
  return { content: data.choices[0].message.content, status: response.status, requestId: response.headers.get('x-request-id') !== null };
}
