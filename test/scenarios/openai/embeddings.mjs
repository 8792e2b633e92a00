import { openaiClient } from '../shared.mjs';

export const replies = [{ usage: { inputTokens: 7 }, dimensions: 8 }];

export default async function run(ctx) {
  const res = await openaiClient(ctx).embeddings.create({ model: 'text-embedding-3-small', input: ['hello world', 'bye'] });
  return { count: res.data.length, dims: res.data[0].embedding.length, usage: res.usage };
}
