import { anthropicClient } from '../shared.mjs';

export const replies = [{ text: 'helper text here', chunks: 3, usage: { inputTokens: 70, outputTokens: 3 } }];

// messages.stream() calls the patched create({ stream: true }): one span, and its MessageStream works.
export default async function run(ctx) {
  const stream = anthropicClient(ctx).messages.stream({
    model: 'claude-haiku-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'stream' }],
  });
  const texts = [];
  stream.on('text', (t) => texts.push(t));
  const final = await stream.finalMessage();
  return { texts: texts.length, usage: final.usage, text: final.content[0].text };
}
