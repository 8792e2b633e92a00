import { events, postJson } from './wire.mjs';

export const replies = [{ text: 'one two three four five', chunks: 5, usage: { inputTokens: 40, outputTokens: 5 } }];

// A chat stream read with the body's own reader; the request did not ask for include_usage.
export default async function run({ fakeUrl, headers }) {
  const res = await postJson(
    `${fakeUrl}/v1/chat/completions`,
    { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Count to five' }] },
    { headers },
  );
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return { status: res.status, url: res.url.replace(fakeUrl, ''), type: res.headers.get('content-type'), events: events(text) };
}
