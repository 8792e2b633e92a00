import { findBudgetExceededError, withAgent } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';

/**
 * One streamed gpt-4.1 call as `agent` (max_tokens 1000: about $0.008 reserved); 'sent' or who
 * stopped it. A stream, read to its end: with a shared store the SDK-level gate may admit a call
 * provisionally and stop it when the store's answer comes (the store's README), which a stream
 * shows as a stop and an instant non-streaming reply would not.
 */
export function asker(ctx) {
  const client = openaiClient(ctx);
  return (agent) =>
    withAgent(agent, async () => {
      try {
        const stream = await client.chat.completions.create({ model: 'gpt-4.1', max_tokens: 1000, stream: true, messages: [{ role: 'user', content: `work as ${agent}` }] });
        for await (const _ of stream);
        return 'sent';
      } catch (err) {
        // Stopped before its response came: the SDK's abort error, the budget error as its cause.
        const stop = findBudgetExceededError(err);
        if (!stop) throw err;
        return `${stop.action} by ${stop.scope.name}`;
      }
    });
}

export const setClock = (iso) => (process.env.COSTTRACE_TEST_NOW_MS = String(Date.parse(iso)));

// Each reply: 1000 × $2/M + 1000 × $8/M = $0.01 at gpt-4.1.
export const REPLY = { chunks: 10, chunkDelayMs: 20, usage: { inputTokens: 1000, outputTokens: 1000 } };
