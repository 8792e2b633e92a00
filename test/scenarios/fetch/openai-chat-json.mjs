import { postJson, withoutIds } from './wire.mjs';

export const replies = [{ text: 'Hello there friend', usage: { inputTokens: 120, outputTokens: 3, cacheReadTokens: 64 } }];

export default async function run({ fakeUrl, headers }) {
  const res = await postJson(
    `${fakeUrl}/v1/chat/completions`,
    { model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'Say hello' }] },
    { headers },
  );
  const copy = res.clone();
  return { status: res.status, ok: res.ok, body: withoutIds(await res.json()), same: withoutIds(await copy.json()) };
}
