import { context, type DiagLogger, type Span, type Tracer } from '@opentelemetry/api';
import {
  CallLifecycle,
  InferenceCall,
  isBudgetExceededError,
  isRecord,
  type CallCodec,
  type ResolvedSharedOptions,
} from '@costtrace/pipeline';
import { GEN_AI_PROVIDER_NAME_VALUE_AWS_BEDROCK } from '@costtrace/semconv';
import { AnthropicInvokeCodec } from './anthropic-invoke-codec';
import { callerSignalOf, type FollowedSignals } from './caller-signal';
import { ensureCallMiddleware, type CallWire } from './client-middleware';
import { ConverseCodec } from './converse-codec';
import { InvokeCodec } from './invoke-codec';
import { LLAMA, MISTRAL, NOVA, OTHER, type InvokeFamily } from './invoke-families';
import type { AnyFunction, BedrockCallState, Operation, SdkClient, SdkCommand } from './internal-types';
import { decodeJson } from './read-json';
import { eventStreamTarget } from './stream-target';

/** What the wrapper needs from the instrumentation, read at call time. */
export interface PatchHost {
  tracer(): Tracer;
  options(): ResolvedSharedOptions;
  readonly diag: DiagLogger;
  /** The model-call operation a command runs, or undefined for any other command. */
  operationOf(command: unknown): Operation | undefined;
  /** Calls in flight by span, for the client middleware. */
  readonly calls: WeakMap<Span, CallWire>;
  /** Clients whose stack has the middleware. */
  readonly clients: WeakSet<object>;
  /** The AWS SDK's own (handler-only) caller signals, each followed by a standard one. */
  readonly signals: FollowedSignals;
}

const NAME = 'BedrockInstrumentation';

/**
 * The wrapper of the client's `send(command, options?, callback?)`. A model
 * call's command gets one inference span, passes the budget gate before
 * anything is sent (a refusal rejects and sends nothing), and is sent with the
 * call's AbortSignal as `abortSignal` (following the caller's own): a budget
 * stop destroys the HTTP request or stream, and the AWS SDK's retry strategy
 * does not retry once its signal is aborted. Every other command passes through.
 */
export function wrapSend(host: PatchHost, original: AnyFunction): AnyFunction {
  return function patchedSend(this: SdkClient, ...args: unknown[]): unknown {
    const operation = host.operationOf(args[0]);
    if (operation === undefined) return original.apply(this, args);
    const callback = typeof args[1] === 'function' ? args[1] : typeof args[2] === 'function' ? args[2] : undefined;
    const options = typeof args[1] === 'function' ? undefined : args[1];
    const promise = run(host, operation, original, this, args[0] as SdkCommand, options);
    if (!callback) return promise;
    // The SDK's own callback form: the output or the error, and nothing returned.
    promise.then(
      (output) => (callback as AnyFunction)(null, output),
      (err) => (callback as AnyFunction)(err),
    ).catch(() => undefined);
    return undefined;
  };
}

function run(host: PatchHost, operation: Operation, original: AnyFunction, client: SdkClient, command: SdkCommand, options: unknown): Promise<unknown> {
  let started: { life: CallLifecycle; sendCommand: SdkCommand; sendOptions: unknown };
  try {
    started = start(host, operation, client, command, options);
  } catch (err) {
    if (isBudgetExceededError(err)) return Promise.reject(err);
    host.diag.error(`${NAME}: could not start the call span; calling through`, err);
    return original.call(client, command, options) as Promise<unknown>;
  }
  const { life, sendCommand, sendOptions } = started;
  const call = life.call;
  let result: unknown;
  try {
    result = context.with(call.context, () => original.call(client, sendCommand, sendOptions));
  } catch (err) {
    // The SDK threw before sending: the caller gets its error as before.
    call.end({ error: err });
    throw err;
  }
  if (!isThenable(result)) {
    life.endUnobserved();
    return result as Promise<unknown>;
  }
  return result.then(
    (output) => {
      life.safely(() => observe(life, operation, output));
      return output;
    },
    (err: unknown) => {
      life.safely(() => life.failed(err));
      // A call a budget stopped rejects with the BudgetExceededError itself (the SDK's abort error is its `cause`).
      throw call.budgetError ?? err;
    },
  );
}

function start(host: PatchHost, operation: Operation, client: SdkClient, command: SdkCommand, options: unknown) {
  const input = isRecord(command.input) ? command.input : {};
  const modelId = typeof input['modelId'] === 'string' ? input['modelId'] : 'unknown';
  const streaming = operation === 'converse-stream' || operation === 'invoke-stream';
  const state: BedrockCallState = {};
  const resolved = host.options();
  const codec = buildCodec(operation, modelId, input, streaming, resolved, state);
  const call = InferenceCall.start({
    tracer: host.tracer(),
    diag: host.diag,
    provider: GEN_AI_PROVIDER_NAME_VALUE_AWS_BEDROCK,
    operation: codec.operation,
    requestModel: codec.requestModel,
    streaming,
    estimate: codec.estimate,
    attributes: codec.attributes,
    callerSignal: callerSignalOf(options, host.signals),
    propagateBaggage: resolved.propagateBaggage,
  });
  // From here the span is open: a failure must end it before calling through.
  try {
    host.calls.set(call.span, { call, state });
    ensureCallMiddleware(client, host.clients, host.calls, (err) => host.diag.error(`${NAME}: the client middleware failed`, err));
    const sendCommand = call.downgraded ? new command.constructor({ ...input, modelId: call.model }) : command;
    const signal = call.sendSignal;
    const sendOptions = signal === undefined ? options : { ...(isRecord(options) ? options : {}), abortSignal: signal };
    const life = new CallLifecycle({ call, codec, diag: host.diag, unreadTimeoutMs: resolved.unreadStreamTimeoutMs, name: NAME });
    return { life, sendCommand, sendOptions };
  } catch (err) {
    call.end({ outcome: 'cancelled' });
    throw err;
  }
}

function observe(life: CallLifecycle, operation: Operation, output: unknown): void {
  if (!isRecord(output)) return life.endUnobserved();
  if (operation === 'converse-stream') return life.parsed(output, eventStreamTarget(output, 'stream'));
  if (operation === 'invoke-stream') return life.parsed(output, eventStreamTarget(output, 'body'));
  life.parsed(output);
}

function buildCodec(
  operation: Operation,
  modelId: string,
  input: Record<string, unknown>,
  streaming: boolean,
  options: ResolvedSharedOptions,
  state: BedrockCallState,
): CallCodec {
  if (operation === 'converse' || operation === 'converse-stream') return new ConverseCodec(modelId, input, streaming);
  const body = decodeJson(input['body']);
  const params = isRecord(body) ? body : {};
  const family = familyOf(modelId, params);
  return family === 'anthropic'
    ? new AnthropicInvokeCodec(modelId, params, streaming, options, state)
    : new InvokeCodec(modelId, params, streaming, family, state);
}

/** The model family of an InvokeModel body: by the model id, else (an inference profile ARN) by the body's shape. */
function familyOf(modelId: string, params: Record<string, unknown>): InvokeFamily | 'anthropic' {
  const id = modelId.toLowerCase();
  if (id.includes('anthropic.') || typeof params['anthropic_version'] === 'string') return 'anthropic';
  if (id.includes('amazon.nova') || (isRecord(params['inferenceConfig']) && Array.isArray(params['messages']))) return NOVA;
  if (id.includes('meta.llama') || params['max_gen_len'] !== undefined) return LLAMA;
  if (id.includes('mistral.')) return MISTRAL;
  return OTHER;
}

function isThenable(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
