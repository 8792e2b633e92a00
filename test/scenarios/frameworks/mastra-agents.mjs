import { describeError } from './ai-sdk-shared.mjs';
import { mastraAgents, mastraSummary } from './mastra-shared.mjs';

// Two Mastra agents (Agent names "Researcher" and "Writer") on AI SDK providers: the researcher
// streams from OpenAI chat completions, then the writer asks Anthropic messages. No costtrace code.
export const replies = [
  { text: 'three facts found', usage: { inputTokens: 1000, outputTokens: 500 } },
  { text: 'a short draft', usage: { inputTokens: 2000, outputTokens: 300 } },
];

export default async function run(ctx) {
  const { researcher, writer } = mastraAgents(ctx);
  try {
    const stream = await researcher.stream('What do LLM calls cost?');
    let parts = '';
    for await (const part of stream.textStream) parts += part;
    const found = { parts, ...(await mastraSummary(stream)) };
    const draft = await mastraSummary(await writer.generate(`Write about: ${found.text}`));
    return { found, draft };
  } catch (err) {
    return { error: describeError(err) };
  }
}
