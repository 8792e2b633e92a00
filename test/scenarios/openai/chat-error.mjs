import { describeError, openaiClient } from '../shared.mjs';

export const replies = [{ status: 429, error: { type: 'rate_limit_error', message: 'Slow down', code: 'rate_limit_exceeded' } }];

export default async function run(ctx) {
  try {
    await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    return { error: null };
  } catch (err) {
    return { error: describeError(err) };
  }
}
