import { bedrockClient, invokeEvent } from './client.mjs';

export const replies = [{ text: 'un deux trois', usage: { inputTokens: 25, outputTokens: 6 } }];

export default async function run(ctx) {
  const output = await bedrockClient(ctx).send(
    new ctx.sdk.InvokeModelWithResponseStreamCommand({
      modelId: 'mistral.mistral-7b-instruct-v0:2',
      body: JSON.stringify({ prompt: '<s>[INST] Count in French [/INST]', max_tokens: 32 }),
    }),
  );
  const events = [];
  for await (const event of output.body) events.push(invokeEvent(event));
  return events;
}
