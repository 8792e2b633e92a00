import { events, postJson } from './wire.mjs';

export const replies = [{ text: 'one two three', chunks: 3, usage: { inputTokens: 30, outputTokens: 3 } }];

export default async function run({ fakeUrl, headers }) {
  const res = await postJson(
    `${fakeUrl}/v1/messages`,
    { model: 'claude-haiku-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Count to three' }] },
    { headers: { ...headers, 'anthropic-version': '2023-06-01' } },
  );
  return { status: res.status, events: events(await res.text()) };
}
