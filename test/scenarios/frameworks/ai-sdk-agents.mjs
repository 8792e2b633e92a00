import { describeError, providers, summary, telemetry } from './ai-sdk-shared.mjs';

// Two agents of the app, named the AI SDK's way (telemetry functionId): a researcher streaming from
// OpenAI chat completions, then a writer asking Anthropic messages. No costtrace code.
export const replies = [
  { text: 'three facts found', usage: { inputTokens: 1000, outputTokens: 500 } },
  { text: 'a short draft', usage: { inputTokens: 2000, outputTokens: 300 } },
];

export default async function run(ctx) {
  const { ToolLoopAgent } = ctx.sdks.ai;
  const { openai, anthropic } = providers(ctx);
  const researcher = new ToolLoopAgent({ model: openai.chat('gpt-4o-mini'), instructions: 'Find facts.', experimental_telemetry: telemetry(ctx, 'researcher') });
  const writer = new ToolLoopAgent({ model: anthropic('claude-sonnet-4-5'), instructions: 'Write.', experimental_telemetry: telemetry(ctx, 'writer') });
  try {
    const stream = await researcher.stream({ prompt: 'What do LLM calls cost?' });
    const parts = [];
    for await (const part of stream.textStream) parts.push(part);
    const found = { parts: parts.join(''), ...summary({ text: await stream.text, finishReason: await stream.finishReason, usage: await stream.usage }) };
    const draft = summary(await writer.generate({ prompt: `Write about: ${found.text}` }));
    return { found, draft };
  } catch (err) {
    return { error: describeError(err) };
  }
}
