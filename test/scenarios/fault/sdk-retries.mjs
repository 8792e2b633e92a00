import { withRun } from '@costtrace/core';
import { anthropicClient, openaiClient } from '../shared.mjs';

// The SDKs' own retries on 429 (with Retry-After), 500 and Anthropic's 529, under a run budget:
// the app gets the one answer; the failed attempts cost nothing and the answered one is counted once.
const fast = { 'retry-after-ms': '5', 'retry-after': '0' };
export const replies = [
  { status: 429, headers: fast, error: { message: 'slow down' } },
  { status: 500, headers: fast },
  { text: 'third time', usage: { inputTokens: 1000, outputTokens: 100 } }, // gpt-4o-mini: 1000 × 0.15 + 100 × 0.6 per million = $0.00021
  { status: 529, headers: fast, error: { type: 'overloaded_error', message: 'Overloaded' } },
  { status: 429, headers: fast, error: { type: 'rate_limit_error', message: 'slow down' } },
  { status: 500, headers: fast },
  { text: 'fourth time', usage: { inputTokens: 1000, outputTokens: 100 } }, // claude-haiku-4-5: 1000 × 1 + 100 × 5 per million = $0.0015
];

export default async function run(ctx) {
  const openai = openaiClient(ctx, { maxRetries: 3 });
  const anthropic = anthropicClient(ctx, { maxRetries: 3 });
  const messages = [{ role: 'user', content: 'hi' }];
  const o = await withRun('openai retries', { budgetUsd: 1 }, async () => {
    const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, messages });
    return { text: res.choices[0].message.content };
  });
  const a = await withRun('anthropic retries', { budgetUsd: 1 }, async () => {
    const res = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 200, messages });
    return { text: res.content[0].text };
  });
  return { openai: o, anthropic: a };
}
