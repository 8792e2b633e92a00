// Helpers for the Mastra scenarios: they run in the child process with the packages the app loaded.
// Nothing here is costtrace code: it is how an app sets up Mastra agents on AI SDK providers.
import { providers } from './ai-sdk-shared.mjs';

/**
 * The app's two agents, named the Mastra way. With `quiet`, they are registered on a `Mastra`
 * instance with its logger off (a bare Agent logs a failed model call to the console).
 */
export function mastraAgents(ctx, { maxRetries, quiet = false, openaiModel = 'gpt-4o-mini' } = {}) {
  const { Agent } = ctx.sdks['@mastra/core/agent'];
  const { openai, anthropic } = providers(ctx);
  const retries = maxRetries === undefined ? {} : { maxRetries };
  const researcher = new Agent({ id: 'researcher', name: 'Researcher', instructions: 'Find facts.', model: openai.chat(openaiModel), ...retries });
  const writer = new Agent({ id: 'writer', name: 'Writer', instructions: 'Write.', model: anthropic('claude-sonnet-4-5'), ...retries });
  if (!quiet) return { researcher, writer };
  const { Mastra } = ctx.sdks['@mastra/core/mastra'];
  const mastra = new Mastra({ agents: { researcher, writer }, logger: false });
  return { researcher: mastra.getAgent('researcher'), writer: mastra.getAgent('writer') };
}

/** What an app keeps of a Mastra result (awaited, for a stream): text, usage, why it stopped. */
export async function mastraSummary(result) {
  const usage = await result.usage;
  return { text: await result.text, finishReason: await result.finishReason, inputTokens: usage?.inputTokens, outputTokens: usage?.outputTokens };
}
