// What the fake provider answers, per request, as a real one would report it: usage per model, one
// search that is rate-limited once (the app retries it), and one summary that rambles on.

const USAGE = {
  'claude-opus-4-7': { inputTokens: 2_400, outputTokens: 900 },
  'gpt-4o-mini': { inputTokens: 6_000, outputTokens: 700, cacheReadTokens: 2_048 },
  'gpt-4o': { inputTokens: 3_000, outputTokens: 1_200 },
  'claude-sonnet-4-6': { inputTokens: 14_000, outputTokens: 3_200, cacheReadTokens: 8_000, cacheWriteTokens: 2_000 },
  'gpt-4.1': { inputTokens: 9_000, outputTokens: 700 },
};

/** The fake's request handler: a function of the request only, so every run is the same. */
export function scriptedReply() {
  let rateLimited = false;
  return (req) => {
    const prompt = JSON.stringify(req.body?.messages ?? '');
    if (req.model === 'gpt-4o-mini' && prompt.includes('key players') && !rateLimited) {
      rateLimited = true;
      return { status: 429, error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Rate limit reached (fake-llm)' } };
    }
    if (req.model === 'gpt-4o' && prompt.includes('Summarise open problems')) {
      // No max_tokens: the model goes on and on. Only the researcher's budget stops it.
      return { usage: { inputTokens: 3_000, outputTokens: 20_000 }, chunks: 400 };
    }
    return { usage: USAGE[req.model], chunks: 8 };
  };
}
