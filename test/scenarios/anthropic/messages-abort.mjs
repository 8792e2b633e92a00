import { anthropicClient, describeError } from '../shared.mjs';

// message_start, content_block_start and the first delta at once, then nothing for a minute: the
// caller's abort on the third event always comes while the server is waiting. (Paced at 40 ms an
// event, a client the CPU left waiting got the next event in the same read and yielded it after
// the abort, with or without costtrace.)
export const replies = [
  { text: 'a b c d e f g h', chunks: 8, firstChunkDelayMs: 0, chunkDelayMs: 60_000, usage: { inputTokens: 20, outputTokens: 8 } },
];

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
