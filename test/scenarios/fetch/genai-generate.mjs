import { genaiClient } from './genai.mjs';

export const replies = [{ text: 'Hello there friend', usage: { inputTokens: 120, cacheReadTokens: 100, outputTokens: 23, reasoningTokens: 20 } }];

export default async function run(ctx) {
  const response = await genaiClient(ctx).models.generateContent({
    model: 'gemini-2.5-flash',
    contents: 'Say hello',
    config: { maxOutputTokens: 200, temperature: 0.5 },
  });
  return { text: response.text, finish: response.candidates?.[0]?.finishReason, usage: response.usageMetadata, model: response.modelVersion };
}
