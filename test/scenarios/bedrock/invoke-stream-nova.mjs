import { bedrockClient, invokeEvent } from './client.mjs';

// Amazon Nova Pro through the APAC cross-region inference profile.
export const replies = [{ text: 'alpha beta', usage: { inputTokens: 1_000, outputTokens: 2, cacheReadTokens: 600 } }];

export default async function run(ctx) {
  const output = await bedrockClient(ctx).send(
    new ctx.sdk.InvokeModelWithResponseStreamCommand({
      modelId: 'apac.amazon.nova-pro-v1:0',
      body: JSON.stringify({
        schemaVersion: 'messages-v1',
        messages: [{ role: 'user', content: [{ text: 'Two Greek letters' }] }],
        inferenceConfig: { max_new_tokens: 16 },
      }),
    }),
  );
  const events = [];
  for await (const event of output.body) events.push(invokeEvent(event));
  return events;
}
