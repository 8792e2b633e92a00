import { describeError, openaiClient } from '../shared.mjs';

export const replies = [{ text: 'a b c d e f', chunks: 6, chunkDelayMs: 20, disconnectAfterChunks: 2, usage: { inputTokens: 15, outputTokens: 6 } }];

// The connection drops mid-stream: the caller gets the SDK's own error, the span ends as an error.
export default async function run(ctx) {
  const stream = await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'six' }] });
  let seen = 0;
  try {
    for await (const _ of stream) seen++;
    return { seen, error: null };
  } catch (err) {
    return { seen, error: describeError(err) };
  }
}
