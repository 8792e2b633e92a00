import { diag, DiagLogLevel } from '@opentelemetry/api';
import { withRun } from '@costtrace/core';
import { openaiClient } from '../shared.mjs';

// Two chat calls under a run budget, in an app whose OpenAI calls only the official
// instrumentation may see: costtrace counts them after the fact (it cannot gate them) and warns
// once, naming that instrumentation. Warnings are collected, not printed (stderr must stay clean).
export const replies = [
  { text: 'one', usage: { inputTokens: 200, outputTokens: 20 } }, // gpt-4o-mini: 200 × $0.15 + 20 × $0.60 per million = $0.000042
  { text: 'two', usage: { inputTokens: 200, outputTokens: 20 } },
];

export default async function run(ctx) {
  const warnings = [];
  const noop = () => {};
  diag.setLogger({ warn: (m) => warnings.push(m), error: noop, info: noop, debug: noop, verbose: noop }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const openai = openaiClient(ctx);
  await withRun('foreign', { budgetUsd: 1 }, async () => {
    for (const text of ['a', 'b']) await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: text }] });
  });
  diag.disable();
  return { warnings: warnings.filter((w) => w.startsWith('BudgetSpanProcessor')) };
}
