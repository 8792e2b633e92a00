import { context, propagation } from '@opentelemetry/api';
import { withRun } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';

// Service A: a run with a $0.02 budget makes one call of its own ($0.006: 1000 × $2/M + 500 × $8/M at
// gpt-4.1), then asks service B (WORKER_URL, another process) over HTTP with the trace context and
// the run's baggage. B's stream has no max_tokens: 200 chunks of 50 tokens, $0.0004 each.
export const replies = [
  { text: 'the plan', usage: { inputTokens: 1000, outputTokens: 500 } },
  { chunks: 200, chunkDelayMs: 4, usage: { inputTokens: 20, outputTokens: 10_000 } },
  // B's next call, if it were ever sent: slow, so a late refusal stops it.
  { chunks: 10, chunkDelayMs: 20, usage: { inputTokens: 20, outputTokens: 100 } },
];

export default async function run(ctx) {
  const client = openaiClient(ctx);
  return withRun('plan', { budgetUsd: 0.02 }, async () => {
    const plan = await client.chat.completions.create({ model: 'gpt-4.1', max_tokens: 500, messages: [{ role: 'user', content: 'plan' }] });
    const headers = { 'content-type': 'application/json' };
    // No HTTP instrumentation here: the app injects the trace context and baggage itself.
    propagation.inject(context.active(), headers);
    const res = await fetch(`${process.env.WORKER_URL}/research`, { method: 'POST', headers, body: JSON.stringify({ fakeHeaders: ctx.headers }) });
    return { plan: plan.choices[0].message.content, worker: await res.json() };
  });
}
