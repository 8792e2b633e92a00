import { bedrockClient, invokeEvent } from './client.mjs';

export const replies = [{ id: 'msg_bdrk_02', text: 'a b c d', usage: { inputTokens: 300, outputTokens: 4, cacheReadTokens: 200 } }];

export default async function run(ctx) {
  const output = await bedrockClient(ctx).send(
    new ctx.sdk.InvokeModelWithResponseStreamCommand({
      modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      body: new TextEncoder().encode(
        JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 64, messages: [{ role: 'user', content: 'Four letters' }] }),
      ),
    }),
  );
  const events = [];
  for await (const event of output.body) events.push(invokeEvent(event));
  return { contentType: output.contentType, events };
}
