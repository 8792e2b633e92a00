import { anthropicClient, describeError } from '../shared.mjs';

export const replies = [{ status: 529, error: { type: 'overloaded_error', message: 'Overloaded' } }];

export default async function run(ctx) {
  try {
    await anthropicClient(ctx).messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    return { error: null };
  } catch (err) {
    return { error: describeError(err) };
  }
}
