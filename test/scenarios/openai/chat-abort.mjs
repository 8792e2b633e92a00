import { describeError, openaiClient } from '../shared.mjs';

// The role chunk and the first delta at once, then nothing for a minute: the caller's abort on
// its second chunk always comes while the server is waiting. (Paced at 40 ms a chunk, a client
// the CPU left waiting got the next delta in the same read, yielded after the abort, or the
// whole stream before it aborted.)
export const replies = [
  { text: 'a b c d e f g h i j', chunks: 10, firstChunkDelayMs: 0, chunkDelayMs: 60_000, usage: { inputTokens: 20, outputTokens: 10 } },
];

// The caller aborts through its own signal mid-stream: the SDK's iterator ends, the request stops.
export default async function run(ctx) {
  const controller = new AbortController();
  const stream = await openaiClient(ctx).chat.completions.create(
    { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Ten letters' }] },
    { signal: controller.signal },
  );
  let seen = 0;
  try {
    for await (const _ of stream) if (++seen === 2) controller.abort();
    return { seen, ended: 'silently' };
  } catch (err) {
    return { seen, error: describeError(err) };
  }
}
