import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'helper streamed text', chunks: 3, usage: { inputTokens: 25, outputTokens: 3 } }];

// chat.completions.stream() (beta.chat.completions.stream() on v4) calls the patched create: one span.
export default async function run(ctx) {
  const client = openaiClient(ctx);
  const completions = client.chat.completions.stream ? client.chat.completions : client.beta.chat.completions;
  const runner = completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'stream it' }] });
  const deltas = [];
  runner.on('content', (delta) => deltas.push(delta));
  const final = await runner.finalChatCompletion();
  return { deltas: deltas.length, content: final.choices[0].message.content };
}
