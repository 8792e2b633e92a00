import { trace } from '@opentelemetry/api';
import { openaiClient } from '../shared.mjs';

// A $0 budget set by attribute on one of the app's own spans, then a call outside it.
export const replies = [{ text: 'ok', usage: { inputTokens: 10, outputTokens: 2 } }];

export default async function run(ctx) {
  const client = openaiClient(ctx);
  const ask = () => client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
  const tracer = trace.getTracer('costtrace-test-app');
  const budgeted = await tracer.startActiveSpan('budgeted step', { attributes: { 'costtrace.budget.limit_usd': 0 } }, async (span) => {
    try {
      await ask();
      return 'sent';
    } catch (err) {
      return err?.[Symbol.for('costtrace.BudgetExceededError')] === true ? `refused: ${err.action}` : String(err);
    } finally {
      span.end();
    }
  });
  const free = await ask();
  return { budgeted, free: free.choices[0].message.content };
}
