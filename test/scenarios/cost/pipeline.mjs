import { withAgent, withRun, withStep } from '@costtrace/core';
import { anthropicClient, openaiClient } from '../shared.mjs';

// planner → parallel researchers → writer → reviewer, on both providers, with one call to a
// model no catalog knows (a self-hosted fine-tune) under the reviewer.
export const replies = [
  { usage: { inputTokens: 2_000, outputTokens: 500 } },
  // three researchers × (search + stream), gpt-4o-mini; the same reply each, since parallel
  // researchers take them from the queue in whatever order their requests arrive
  ...Array.from({ length: 6 }, () => ({ text: 'finding', chunks: 2, usage: { inputTokens: 3_000, outputTokens: 400, cacheReadTokens: 1_024 } })),
  { usage: { inputTokens: 9_000, outputTokens: 2_000, cacheReadTokens: 6_000, cacheWriteTokens: 1_000 } },
  { usage: { inputTokens: 7_000, outputTokens: 300 } },
  { usage: { inputTokens: 500, outputTokens: 50 } },
];

export default async function run(ctx) {
  const openai = openaiClient(ctx);
  const anthropic = anthropicClient(ctx);
  return withRun('report', async () => {
    await withAgent('planner', () =>
      anthropic.messages.create({ model: 'claude-opus-4-7', max_tokens: 1_000, messages: [{ role: 'user', content: 'plan' }] }),
    );
    // Each researcher searches, then streams a summary; the three run in parallel.
    const researchers = [0, 1, 2].map(async (i) => {
      return withAgent(`researcher-${i + 1}`, async () => {
        await withStep('search', () =>
          openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `search ${i}` }] }),
        );
        const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: `summarise ${i}` }] });
        for await (const _ of stream);
      });
    });
    await Promise.all(researchers);
    await withAgent('writer', () =>
      anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 4_000, messages: [{ role: 'user', content: 'write' }] }),
    );
    await withAgent('reviewer', async () => {
      await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'review' }] });
      await openai.chat.completions.create({ model: 'acme-selfhosted-7b', messages: [{ role: 'user', content: 'second opinion' }] });
    });
    return { done: true };
  });
}
