import { withRun } from '@costtrace/core';
import { genaiClient } from './genai.mjs';
import { budgetError } from './wire.mjs';

// A $0.0001 run budget cannot cover 1,000 output tokens of gemini-2.5-flash: refused before anything is sent,
// and @google/genai hands the app the BudgetExceededError itself.
export default async function run(ctx) {
  return withRun('tiny', { budgetUsd: 0.0001 }, async () => {
    try {
      await genaiClient(ctx).models.generateContent({ model: 'gemini-2.5-flash', contents: 'Write a long story', config: { maxOutputTokens: 1000 } });
      return { sent: true };
    } catch (err) {
      return { error: budgetError(err) };
    }
  });
}
