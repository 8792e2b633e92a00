import { bedrockClient, plain } from './client.mjs';

export const replies = [{ text: 'one two three', usage: { inputTokens: 500, outputTokens: 3 } }];

export default async function run(ctx) {
  const output = await bedrockClient(ctx).send(
    new ctx.sdk.ConverseStreamCommand({
      modelId: 'amazon.nova-lite-v1:0',
      messages: [{ role: 'user', content: [{ text: 'Count to three' }] }],
    }),
  );
  const events = [];
  for await (const event of output.stream) events.push(plain(event));
  return { metadata: plain(output.$metadata), events };
}
