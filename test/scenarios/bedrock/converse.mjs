import { bedrockClient, plain } from './client.mjs';

// Claude 3.5 Haiku through a US cross-region inference profile; 400 of the 1,200 input tokens read from the cache.
export const replies = [{ text: 'Hello there', usage: { inputTokens: 1_200, outputTokens: 20, cacheReadTokens: 400 } }];

export default async function run(ctx) {
  const output = await bedrockClient(ctx).send(
    new ctx.sdk.ConverseCommand({
      modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      messages: [{ role: 'user', content: [{ text: 'Say hello' }] }],
      inferenceConfig: { maxTokens: 100 },
    }),
  );
  return plain(output);
}
