import { openaiClient } from '../shared.mjs';

export const replies = [{ text: '{"answer":42}', usage: { inputTokens: 30, outputTokens: 6 } }];

// chat.completions.parse() (beta.chat.completions.parse() on v4) calls the patched create: one span.
export default async function run(ctx) {
  const client = openaiClient(ctx);
  const completions = client.chat.completions.parse ? client.chat.completions : client.beta.chat.completions;
  const res = await completions.parse({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'json please' }],
    response_format: { type: 'json_object' },
  });
  return { content: res.choices[0].message.content };
}
