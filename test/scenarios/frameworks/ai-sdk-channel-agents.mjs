import { describeError, providers, summary } from './ai-sdk-shared.mjs';

// AI SDK 7 only: two agents named by their telemetry functionId, with no telemetry integration
// for these calls (`integrations: []`, so @ai-sdk/otel records nothing): the names reach costtrace
// through the AI SDK's `ai:telemetry` tracing channel alone. No costtrace code.
export const replies = [
  { text: 'three facts found', usage: { inputTokens: 1000, outputTokens: 500 } },
  { text: 'a short draft', usage: { inputTokens: 2000, outputTokens: 300 } },
];

export default async function run(ctx) {
  const { ToolLoopAgent } = ctx.sdks.ai;
  const { openai, anthropic } = providers(ctx);
  const researcher = new ToolLoopAgent({ model: openai.chat('gpt-4o-mini'), instructions: 'Find facts.', telemetry: { functionId: 'researcher', integrations: [] } });
  const writer = new ToolLoopAgent({ model: anthropic('claude-sonnet-4-5'), instructions: 'Write.', telemetry: { functionId: 'writer', integrations: [] } });
  try {
    const stream = await researcher.stream({ prompt: 'What do LLM calls cost?' });
    let parts = '';
    for await (const part of stream.textStream) parts += part;
    const found = { parts, ...summary({ text: await stream.text, finishReason: await stream.finishReason, usage: await stream.usage }) };
    const draft = summary(await writer.generate({ prompt: `Write about: ${found.text}` }));
    return { found, draft };
  } catch (err) {
    return { error: describeError(err) };
  }
}
