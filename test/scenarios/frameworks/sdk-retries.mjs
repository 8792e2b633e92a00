import { withRun } from '@costtrace/core';
import { anthropicClient, openaiClient } from '../shared.mjs';

// The openai and Anthropic SDKs with their own retries on (four each): a call a run budget refuses,
// and a non-streaming call the budget stops in flight (a parallel call whose reported input crosses
// the $0.05 budget while the first waits for its headers), must each reach the app once, unretried.
export const replies = [
  { text: 'slow', delayMs: 3000 }, // openai: the call stopped in flight
  { text: 'big', usage: { inputTokens: 30_000, outputTokens: 5 } }, // gpt-4.1: 30,000 × $2 per million = $0.06
  { text: 'slow', delayMs: 3000 }, // anthropic: the call stopped in flight
  { text: 'big', usage: { inputTokens: 60_000, outputTokens: 5 } }, // claude-haiku-4-5: 60,000 × $1 per million = $0.06
];

/** The app's view: the error's class, and where on its cause chain the budget error is. */
function seen(err) {
  for (let e = err, depth = 0; e && depth < 8; e = e.cause, depth++) {
    if (e[Symbol.for('costtrace.BudgetExceededError')] === true) return { ctor: err.constructor.name, budgetAt: depth, action: e.action };
  }
  return { ctor: err?.constructor?.name, budgetAt: null };
}

const settle = (promise) => promise.then((r) => ({ ok: true, r: typeof r }), seen);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function run(ctx) {
  const openai = openaiClient(ctx, { maxRetries: 4 });
  const anthropic = anthropicClient(ctx, { maxRetries: 4 });
  const ask = {
    openai: (content, max) => openai.chat.completions.create({ model: 'gpt-4.1', max_tokens: max, messages: [{ role: 'user', content }] }),
    anthropic: (content, max) => anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: max, messages: [{ role: 'user', content }] }),
  };
  const result = {};
  for (const [sdk, call] of Object.entries(ask)) {
    const refused = await withRun(`${sdk} refused`, { budgetUsd: 0.000001 }, () => settle(call('hello', 1000)));
    const stopped = await withRun(`${sdk} stopped`, { budgetUsd: 0.05 }, async () => {
      const slow = settle(call('slow', 100));
      await pause(300); // the slow request is at the server, waiting for its headers
      const big = await settle(call('big', 100));
      return { slow: await slow, big };
    });
    result[sdk] = { refused, stopped };
  }
  return result;
}
