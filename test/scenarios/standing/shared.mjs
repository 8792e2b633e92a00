import { withAgent } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';

/** One gpt-4.1 call as `agent` (max_tokens 1000: about $0.008 reserved); 'sent' or who refused it. */
export function asker(ctx) {
  const client = openaiClient(ctx);
  return (agent) =>
    withAgent(agent, async () => {
      try {
        await client.chat.completions.create({ model: 'gpt-4.1', max_tokens: 1000, messages: [{ role: 'user', content: `work as ${agent}` }] });
        return 'sent';
      } catch (err) {
        if (err?.[Symbol.for('costtrace.BudgetExceededError')] !== true) throw err;
        return `${err.action} by ${err.scope?.name}`;
      }
    });
}

export const setClock = (iso) => (process.env.COSTTRACE_TEST_NOW_MS = String(Date.parse(iso)));

// Each reply: 1000 × $2/M + 1000 × $8/M = $0.01 at gpt-4.1.
export const REPLY = { text: 'done', usage: { inputTokens: 1000, outputTokens: 1000 } };
