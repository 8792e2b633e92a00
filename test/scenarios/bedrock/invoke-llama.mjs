import { bedrockClient, invokeOutput } from './client.mjs';

export const replies = [{ text: 'It is blue', usage: { inputTokens: 40, outputTokens: 3 } }];

export default async function run(ctx) {
  const output = await bedrockClient(ctx).send(
    new ctx.sdk.InvokeModelCommand({
      modelId: 'meta.llama3-1-8b-instruct-v1:0',
      body: JSON.stringify({ prompt: '<|begin_of_text|>What colour is the sky?', max_gen_len: 128, temperature: 0.5 }),
    }),
  );
  return invokeOutput(output);
}
