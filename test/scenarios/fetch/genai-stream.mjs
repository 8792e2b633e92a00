import { genaiClient } from './genai.mjs';

export const replies = [{ text: 'one two three four', usage: { inputTokens: 12, outputTokens: 4 } }];

export default async function run(ctx) {
  const stream = await genaiClient(ctx).models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Count to four' });
  const chunks = [];
  for await (const chunk of stream) chunks.push({ text: chunk.text, finish: chunk.candidates?.[0]?.finishReason ?? null, usage: chunk.usageMetadata });
  return chunks;
}
