import { withRun } from '@costtrace/core';
import { budgetError, postJson } from './wire.mjs';

// A $0.0001 run budget cannot cover 1,000 output tokens of gpt-4o-mini ($0.60 per million: $0.0006):
// refused before anything is sent.
export default async function run({ fakeUrl, headers }) {
  return withRun('tiny', { budgetUsd: 0.0001 }, async () => {
    try {
      const res = await postJson(
        `${fakeUrl}/v1/chat/completions`,
        { model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'Write a long story' }] },
        { headers },
      );
      return { status: res.status };
    } catch (err) {
      return { error: budgetError(err) };
    }
  });
}
