import { openaiClient } from '../shared.mjs';

// The app handles uncaught exceptions itself: it logs, sets its own exit code, and goes on.
export const replies = [{ text: 'Hello there friend', usage: { inputTokens: 120, outputTokens: 3 } }];

export default async function run(ctx) {
  process.on('uncaughtException', (err) => {
    process.stdout.write(`APP HANDLED ${err.message}\n`);
    process.exitCode = 5;
  });
  const res = await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'Say hello' }] });
  setTimeout(() => {
    throw new Error('boom: handled by the app');
  }, 50);
  return { content: res.choices[0].message.content };
}
