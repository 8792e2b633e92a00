import { describeError, openaiClient } from '../shared.mjs';

// OpenAI's 401 echoes the key it was sent (cut short with asterisks, or whole from some proxies).
export const KEY = 'sk-proj-Zx9fakeKEY0123456789abcdefSECRET';
export const replies = [
  { status: 401, error: { type: 'invalid_request_error', code: 'invalid_api_key', message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.` } },
];

export default async function run(ctx) {
  try {
    await openaiClient(ctx).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    return { ok: true };
  } catch (err) {
    return describeError(err);
  }
}
