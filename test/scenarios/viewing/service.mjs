import { existsSync, writeFileSync } from 'node:fs';
import { withAgent, withRun } from '@costtrace/core';
import { anthropicClient, openaiClient } from '../shared.mjs';

// An example service under `@costtrace/register` for the Prometheus test (test/viewing-prometheus.test.ts),
// in two batches: batch A makes every label set the dashboard reads once (so Prometheus has a first
// sample of each series before batch B), then the service waits for the file named in
// COSTTRACE_VIEWING_RELEASE (writing `<file>.batch-a` first), runs batch B, writes `<file>.batch-b`
// and waits for `<file>.done`.
//   research run: planner claude-haiku-4-5 1000 in / 200 out = $0.002; researcher gpt-4.1 1000 / 500 = $0.006
//   runaway research run: the researcher reads 100000 / 20000 = $0.36 (the run: $0.362)
//   triage run: researcher under a $0.01 budget, warn ratio 0.4: 500 / 500 = $0.005 (a warning at 50 %),
//     then a call whose worst case (1000 output tokens) cannot fit: refused; writer under a $0.01 budget:
//     a stream worth $0.08, aborted; reviewer: one unpriced call.
export const NORMAL_RUNS_B = 40;
const normal = () => [
  { text: 'plan', usage: { inputTokens: 1_000, outputTokens: 200 } },
  { text: 'finding', usage: { inputTokens: 1_000, outputTokens: 500 } },
];
const triage = () => [
  { text: 'finding', usage: { inputTokens: 500, outputTokens: 500 } },
  // The writer's stream: 10,000 output tokens ($0.08) in 200 chunks, stopped near its $0.01 budget.
  { chunks: 200, chunkDelayMs: 1, usage: { inputTokens: 20, outputTokens: 10_000 } },
  { text: 'second opinion', usage: { inputTokens: 500, outputTokens: 50 } },
];
export const replies = [
  ...normal(),
  ...triage(),
  ...Array.from({ length: NORMAL_RUNS_B }, normal).flat(),
  { text: 'plan', usage: { inputTokens: 1_000, outputTokens: 200 } },
  { text: 'a very long finding', usage: { inputTokens: 100_000, outputTokens: 20_000 } },
  ...triage(),
];

// The first research run and the runaway one run under a $1 run budget (the README's run budget query).
async function research(ctx, openai, anthropic, options = {}) {
  return withRun('research', options, async () => {
    await withAgent('planner', () =>
      anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1_000, messages: [{ role: 'user', content: 'plan' }] }),
    );
    await withAgent('researcher', () =>
      openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'research' }] }),
    );
  });
}

async function triageRun(openai) {
  return withRun('triage', async () => {
    const outcomes = await withAgent('researcher', { budgetUsd: 0.01, warnRatio: 0.4 }, async () => {
      const out = [];
      for (let i = 0; i < 2; i++) {
        try {
          await openai.chat.completions.create({ model: 'gpt-4.1', max_tokens: 1_000, messages: [{ role: 'user', content: `triage ${i}` }] });
          out.push('ok');
        } catch (err) {
          out.push(err[Symbol.for('costtrace.BudgetExceededError')] === true ? 'refused' : String(err));
        }
      }
      return out;
    });
    const writer = await withAgent('writer', { budgetUsd: 0.01 }, async () => {
      try {
        const stream = await openai.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'write it all' }] });
        for await (const _ of stream);
        return 'ok';
      } catch (err) {
        return err[Symbol.for('costtrace.BudgetExceededError')] === true ? 'aborted' : String(err);
      }
    });
    outcomes.push(writer);
    await withAgent('reviewer', () =>
      openai.chat.completions.create({ model: 'acme-selfhosted-7b', messages: [{ role: 'user', content: 'review' }] }),
    );
    return outcomes;
  });
}

async function waitFor(path) {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 50));
}

export default async function run(ctx) {
  const openai = openaiClient(ctx);
  const anthropic = anthropicClient(ctx);
  const release = process.env.COSTTRACE_VIEWING_RELEASE;
  await research(ctx, openai, anthropic, { budgetUsd: 1 });
  const triageA = await triageRun(openai);
  writeFileSync(`${release}.batch-a`, '');
  await waitFor(release);
  for (let i = 0; i < NORMAL_RUNS_B; i++) await research(ctx, openai, anthropic);
  await withRun('research', { budgetUsd: 1 }, async () => {
    await withAgent('planner', () =>
      anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1_000, messages: [{ role: 'user', content: 'plan' }] }),
    );
    await withAgent('researcher', () =>
      openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'research at length' }] }),
    );
  });
  const triageB = await triageRun(openai);
  writeFileSync(`${release}.batch-b`, '');
  await waitFor(`${release}.done`);
  return { triageA, triageB };
}
