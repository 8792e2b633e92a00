// Helpers for the Bedrock scenarios: they run inside the child process, with the SDK the app loaded.

/**
 * A BedrockRuntimeClient as an app builds one; region and credentials come from the environment
 * (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: dummies, so the credential chain stops at
 * the environment and never asks instance metadata), the endpoint is fake-llm's (h2c).
 */
export function bedrockClient({ sdk, headers }) {
  const client = new sdk.BedrockRuntimeClient({ endpoint: process.env.BEDROCK_ENDPOINT });
  // Test plumbing: the scenario header routes each request to its scripted replies.
  client.middlewareStack.add(
    (next) => (args) => {
      Object.assign(args.request.headers, headers);
      return next(args);
    },
    { step: 'build', name: 'fakeScenarioHeader' },
  );
  return client;
}

const decoder = new TextDecoder();

/** An InvokeModel output as the app reads it: its JSON body, and what else it carries. */
export function invokeOutput(output) {
  const { body, ...rest } = output;
  return { ...JSON.parse(JSON.stringify(rest)), body: JSON.parse(decoder.decode(body)) };
}

/** An InvokeModelWithResponseStream event as the app reads it: each chunk's JSON. */
export function invokeEvent(event) {
  return event.chunk ? { chunk: JSON.parse(decoder.decode(event.chunk.bytes)) } : JSON.parse(JSON.stringify(event));
}

export function plain(value) {
  return JSON.parse(JSON.stringify(value));
}
