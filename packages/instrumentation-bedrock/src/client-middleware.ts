import { context as otelContext, trace, type Attributes, type Span } from '@opentelemetry/api';
import { isRecord, serverAttributes, type InferenceCall } from '@costtrace/pipeline';
import type { BedrockCallState, SdkClient } from './internal-types';
import { bedrockUsage } from './read-json';

/** One call as the client middleware finds it, by its span in the active context. */
export interface CallWire {
  call: InferenceCall;
  state: BedrockCallState;
}

const NAME = 'costtraceBedrockCall';

/**
 * Adds, once per client, a middleware to the client's own stack (step
 * `finalizeRequest`, innermost): it sees the signed HTTP request and the raw
 * response of a call that `send` started, found by the call's span in the
 * active OpenTelemetry context. It writes `server.address`/`server.port` (the
 * endpoint is resolved asynchronously inside the SDK) and keeps InvokeModel's
 * `x-amzn-bedrock-*-token-count` headers, the only usage of a Mistral body.
 * It changes nothing the SDK sends or returns.
 */
export function ensureCallMiddleware(
  client: SdkClient,
  seen: WeakSet<object>,
  calls: WeakMap<Span, CallWire>,
  onError: (err: unknown) => void,
): void {
  if (seen.has(client)) return;
  seen.add(client);
  const stack = client.middlewareStack;
  if (!stack || typeof stack.add !== 'function') return;
  const middleware =
    (next: (args: unknown) => Promise<unknown>) =>
    async (args: unknown): Promise<unknown> => {
      const span = trace.getSpan(otelContext.active());
      const wire = span ? calls.get(span) : undefined;
      if (wire) guard(onError, () => wire.call.setAttributes(requestServer(isRecord(args) ? args['request'] : undefined)));
      const result = await next(args);
      if (wire) {
        guard(onError, () => {
          const response = isRecord(result) ? result['response'] : undefined;
          const usage = headerUsage(isRecord(response) ? response['headers'] : undefined);
          if (usage) wire.state.headerUsage = usage;
        });
      }
      return result;
    };
  try {
    stack.add(middleware, { step: 'finalizeRequest', priority: 'low', name: NAME, override: true });
  } catch (err) {
    onError(err);
  }
}

/** The server of the smithy `HttpRequest` the call is sent with. */
function requestServer(request: unknown): Attributes {
  if (!isRecord(request) || typeof request['hostname'] !== 'string') return {};
  return serverAttributes(request['hostname'], typeof request['port'] === 'number' ? request['port'] : undefined, String(request['protocol']));
}

/** InvokeModel's usage headers; input leaves out the cache counts. */
function headerUsage(headers: unknown) {
  if (!isRecord(headers)) return undefined;
  const num = (name: string): number | undefined => {
    const value = headers[name];
    return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  return bedrockUsage(
    num('x-amzn-bedrock-input-token-count'),
    num('x-amzn-bedrock-output-token-count'),
    num('x-amzn-bedrock-cache-read-input-token-count'),
    num('x-amzn-bedrock-cache-write-input-token-count'),
  );
}

function guard(onError: (err: unknown) => void, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    onError(err);
  }
}
