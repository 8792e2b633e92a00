import { bedrockClient, invokeOutput } from './client.mjs';

export const replies = [{ id: 'msg_bdrk_01', text: 'Paris', usage: { inputTokens: 2_000, outputTokens: 50, cacheWriteTokens: 1_500 } }];

export default async function run(ctx) {
  const output = await bedrockClient(ctx).send(
    new ctx.sdk.InvokeModelCommand({
      modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      contentType: 'application/json',
      body: JSON.stringify({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Capital of France?' }],
      }),
    }),
  );
  return invokeOutput(output);
}
