import { bedrockClient, invokeOutput } from './client.mjs';

// A Mistral body has no usage: the response's x-amzn-bedrock-*-token-count headers carry it.
export const replies = [{ text: 'Bonjour', usage: { inputTokens: 70, outputTokens: 9 } }];

export default async function run(ctx) {
  const output = await bedrockClient(ctx).send(
    new ctx.sdk.InvokeModelCommand({
      modelId: 'mistral.mistral-large-2402-v1:0',
      body: JSON.stringify({ prompt: '<s>[INST] Say hello in French [/INST]', max_tokens: 50 }),
    }),
  );
  return invokeOutput(output);
}
