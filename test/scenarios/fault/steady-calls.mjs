import { withRun } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';

// Ten calls spread over about 1.5 s (several metric and span exports), one refused by a budget;
// each call's latency (the first, warming up, left out) as the app measures it.
export const CALLS = 10;
export const replies = Array.from({ length: CALLS }, () => ({ text: 'ok', usage: { inputTokens: 100, outputTokens: 10 } }));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function run(ctx) {
  const client = openaiClient(ctx);
  const messages = [{ role: 'user', content: 'hi' }];
  const latencies = [];
  await withRun('steady', { budgetUsd: 1 }, async () => {
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 20, messages });
      // The first call loads what the SDK and costtrace load lazily: not a steady call.
      if (i > 0) latencies.push(performance.now() - t);
      await pause(150);
    }
  });
  const refused = await withRun('tiny', { budgetUsd: 0.0000001 }, () =>
    client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 20, messages }).then(() => 'sent', (e) => e.action),
  );
  return { latencies, refused };
}
