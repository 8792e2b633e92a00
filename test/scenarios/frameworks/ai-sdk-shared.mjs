// Helpers for the Vercel AI SDK scenarios (6 and 7 alike): they run in the child process with the
// SDK the app loaded. Nothing here is costtrace code: it is how an app sets up the AI SDK.

/** The AI SDK's providers pointed at fake-llm, as an app points them at a proxy. */
export function providers({ sdks, fakeUrl, headers }) {
  const openai = sdks['@ai-sdk/openai'].createOpenAI({ baseURL: `${fakeUrl}/v1`, apiKey: 'sk-test-secret', headers });
  const anthropic = sdks['@ai-sdk/anthropic'].createAnthropic({ baseURL: `${fakeUrl}/v1`, apiKey: 'sk-ant-test-secret', headers });
  return { openai, anthropic };
}

/**
 * The app's telemetry settings for one agent: `functionId` names it. AI SDK 6 records spans only
 * with `isEnabled`; AI SDK 7 records them through the integration the app registers once at start
 * (`registerTelemetry(new OpenTelemetry())` of `@ai-sdk/otel`).
 */
export function telemetry({ sdks }, functionId) {
  const otel = sdks['@ai-sdk/otel'];
  const registered = Symbol.for('costtrace.test.ai-sdk-otel-registered');
  if (otel !== undefined && globalThis[registered] !== true) {
    globalThis[registered] = true;
    sdks.ai.registerTelemetry(new otel.OpenTelemetry());
  }
  return { isEnabled: true, functionId };
}

/** What an app keeps of a result: the text, the usage and why it stopped. */
export function summary(result) {
  return {
    text: result.text,
    finishReason: result.finishReason,
    inputTokens: result.usage?.inputTokens,
    outputTokens: result.usage?.outputTokens,
  };
}

/** What a caller can see of an error, and of its `cause` chain (costtrace's error as itself or as a cause). */
export function describeError(err) {
  const seen = [];
  for (let e = err; e !== undefined && e !== null && seen.length < 4; e = e.cause) {
    seen.push({ name: e.name, ctor: e.constructor?.name, budget: e[Symbol.for('costtrace.BudgetExceededError')] === true, action: e.action, retryable: e.isRetryable });
  }
  return seen;
}
