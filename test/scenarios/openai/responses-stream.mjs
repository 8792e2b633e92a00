import { openaiClient } from '../shared.mjs';

export const replies = [{ text: 'streamed response text', chunks: 3, usage: { inputTokens: 60, outputTokens: 3 } }];

export default async function run(ctx) {
  const stream = await openaiClient(ctx).responses.create({ model: 'gpt-4.1', input: 'Stream something', stream: true });
  const types = [];
  for await (const event of stream) types.push(event.type);
  return { types: [...new Set(types)] };
}
