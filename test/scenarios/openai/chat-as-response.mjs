import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'raw body', usage: { inputTokens: 10, outputTokens: 2 } }];

// The caller takes the raw response and parses the body itself: our instrumentation must not have read it.
export default async function run(ctx) {
  const response = await openaiClient(ctx)
    .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'raw' }] })
    .asResponse();
  const body = await response.json();
  return { status: response.status, content: body.choices[0].message.content, usage: body.usage };
}
