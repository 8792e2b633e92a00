import { anthropicClient, describeError } from '../shared.mjs';

export const replies = [{ text: 'a b c d e', chunks: 5, chunkDelayMs: 10, streamError: { afterChunks: 2, type: 'overloaded_error', message: 'Overloaded' }, usage: { inputTokens: 30, outputTokens: 5 } }];

// Anthropic sends an `error` event mid-stream: the caller gets the SDK's own error, the span ends as an error.
export default async function run(ctx) {
  const stream = await anthropicClient(ctx).messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'five' }] });
  let seen = 0;
  try {
    for await (const _ of stream) seen++;
    return { seen, error: null };
  } catch (err) {
    return { seen, error: describeError(err) };
  }
}
