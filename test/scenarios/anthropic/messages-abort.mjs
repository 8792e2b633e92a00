import { anthropicClient, describeError } from '../shared.mjs';

export const replies = [{ text: 'a b c d e f g h', chunks: 8, chunkDelayMs: 40, usage: { inputTokens: 20, outputTokens: 8 } }];

export default async function run(ctx) {
  const controller = new AbortController();
  const stream = await anthropicClient(ctx).messages.create(
    { model: 'claude-haiku-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'letters' }] },
    { signal: controller.signal },
  );
  let seen = 0;
  try {
    for await (const _ of stream) if (++seen === 3) controller.abort();
    return { seen, ended: 'silently' };
  } catch (err) {
    return { seen, error: describeError(err) };
  }
}
