import { withAgent, withRun } from '@costtrace/core';
import { anthropicClient } from '../shared.mjs';

// The foundation issue's 5-agent fleet on claude-opus-4-7, through the real Anthropic SDK.
export const FLEET = [
  ['agent-1', 600_000, 50_000],
  ['agent-2', 400_000, 120_000],
  ['agent-3', 300_000, 80_000],
  ['agent-4', 450_000, 90_000],
  ['agent-5', 500_000, 180_000],
];
export const replies = FLEET.map(([, inputTokens, outputTokens]) => ({ text: 'report done', chunks: 2, usage: { inputTokens, outputTokens } }));

export default async function run(ctx) {
  const client = anthropicClient(ctx);
  return withRun('fleet', async () => {
    for (const [agent] of FLEET) {
      await withAgent(agent, () =>
        client.messages
          .stream({ model: 'claude-opus-4-7', max_tokens: 200_000, messages: [{ role: 'user', content: `work as ${agent}` }] })
          .finalMessage(),
      );
    }
    return { agents: FLEET.length };
  });
}
