// Helpers for scenario modules: they run inside the child process, with the SDK the app loaded.

export function openaiClient({ sdks, fakeUrl, headers }, extra = {}) {
  const sdk = sdks.openai;
  const OpenAI = sdk.OpenAI ?? sdk.default;
  return new OpenAI({ baseURL: `${fakeUrl}/v1`, apiKey: 'sk-test-secret', maxRetries: 0, defaultHeaders: headers, ...extra });
}

export function anthropicClient({ sdks, fakeUrl, headers }, extra = {}) {
  const sdk = sdks['@anthropic-ai/sdk'];
  const Anthropic = sdk.Anthropic ?? sdk.default;
  return new Anthropic({ baseURL: fakeUrl, apiKey: 'sk-ant-test-secret', maxRetries: 0, defaultHeaders: headers, ...extra });
}

/** What a caller can see of an error: its class, status and message. */
export function describeError(err) {
  return { ctor: err?.constructor?.name, name: err?.name, status: err?.status, message: err?.message };
}

/** The JSON a caller would see of each chunk (so two runs can be compared). */
export function plain(value) {
  return JSON.parse(JSON.stringify(value));
}
