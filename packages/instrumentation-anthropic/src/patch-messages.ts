import { context, type Context, type DiagLogger, type Tracer } from '@opentelemetry/api';
import {
  CallLifecycle,
  getCallOwner,
  InferenceCall,
  inSyncWindow,
  isBudgetExceededError,
  isRecord,
  setCallOwner,
  syncOwner,
  type CallOwner,
} from '@costtrace/pipeline';
import { GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC } from '@costtrace/semconv';
import type { AnyFunction, MessagesResource, SdkClient } from './internal-types';
import { inputContentAttributes } from './message-content';
import { MessagesCodec } from './messages-codec';
import { observeMessagesResult } from './observe-api-promise';
import type { ResolvedOptions } from './options';

/** What the wrappers need from the instrumentation, read at call time. */
export interface PatchHost {
  tracer(): Tracer;
  options(): ResolvedOptions;
  readonly diag: DiagLogger;
  /** The SDK's APIPromise class, to reject a refused `create()` with the SDK's own promise type. */
  readonly apiPromiseClass: (new (...args: unknown[]) => unknown) | undefined;
}

type Kind = 'create' | 'stream';

/** The wrapper of `Messages.prototype.create` (also `beta.messages`). */
export function wrapCreate(host: PatchHost, original: AnyFunction): AnyFunction {
  return function patchedCreate(this: MessagesResource, ...args: unknown[]): unknown {
    return run(host, 'create', original, this, args);
  };
}

/** The wrapper of `Messages.prototype.stream`, the MessageStream helper. */
export function wrapStream(host: PatchHost, original: AnyFunction): AnyFunction {
  return function patchedStream(this: MessagesResource, ...args: unknown[]): unknown {
    return run(host, 'stream', original, this, args);
  };
}

interface Started {
  life: CallLifecycle;
  /** Observes the SDK's APIPromise; `helper` when the `stream()` helper owns it. */
  observe: (apiPromise: unknown, helper: boolean) => void;
  sendArgs: unknown[];
  owner: CallOwner;
}

function run(host: PatchHost, kind: Kind, original: AnyFunction, resource: MessagesResource, args: unknown[]): unknown {
  const nestedIn = syncOwner();
  if (nestedIn) return runNested(host, nestedIn, original, resource, args);
  const active = context.active();
  const outer = getCallOwner(active);

  let started: Started;
  try {
    started = start(host, kind, resource, args, outer ? outer.parentContext : active);
  } catch (err) {
    if (isBudgetExceededError(err)) return refuse(host, kind, resource, err);
    host.diag.error('AnthropicInstrumentation: could not start the call span; calling through', err);
    return original.apply(resource, args);
  }
  const { life, observe, sendArgs, owner } = started;
  const call = life.call;
  let result: unknown;
  try {
    result = context.with(setCallOwner(call.context, owner), () =>
      inSyncWindow(owner, () => withSdkSpans(host, resource._client, () => original.apply(resource, sendArgs))),
    );
  } catch (err) {
    // The SDK threw before sending (bad arguments): the caller gets its error as before.
    call.end({ error: err });
    throw err;
  }
  try {
    if (kind === 'create') {
      observe(result, false);
    } else if (owner.adopt) {
      // The helper did not call create() synchronously: nothing to observe.
      owner.adopt = undefined;
      host.diag.warn('AnthropicInstrumentation: messages.stream() made no create() call to observe; usage is estimated');
      life.endUnobserved();
    }
  } catch (err) {
    host.diag.error('AnthropicInstrumentation: could not observe the response; the call is recorded as estimated', err);
    life.endUnobserved();
  }
  return result;
}

function start(host: PatchHost, kind: Kind, resource: MessagesResource, args: unknown[], parentContext: Context): Started {
  const params = args[0];
  if (!isRecord(params)) throw new TypeError('the request is not an object');
  const options = host.options();
  const streaming = kind === 'stream' || params['stream'] === true;
  const codec = new MessagesCodec(params, resource?._client?.baseURL, streaming, options);
  const call = InferenceCall.start({
    tracer: host.tracer(),
    diag: host.diag,
    provider: GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
    operation: codec.operation,
    requestModel: codec.requestModel,
    streaming,
    estimate: codec.estimate,
    attributes: codec.attributes,
    callerSignal: signalOf(args[1]),
    parentContext,
    propagateBaggage: options.propagateBaggage,
  });
  // From here the span is open: a failure must end it before calling through.
  try {
    if (options.captureMessageContent) call.setAttributes(inputContentAttributes(params, options.contentMaxLength));
    const sendParams = call.downgraded ? { ...params, model: call.model } : params;
    const signal = call.sendSignal;
    const requestOptions = isRecord(args[1]) ? args[1] : {};
    const sendArgs = [sendParams, signal === undefined ? args[1] : { ...requestOptions, signal }, ...args.slice(2)];
    const life = new CallLifecycle({
      call,
      codec,
      diag: host.diag,
      unreadTimeoutMs: options.unreadStreamTimeoutMs,
      name: 'AnthropicInstrumentation',
    });
    const observe = (apiPromise: unknown, helper: boolean): void => {
      const hookError = (err: unknown): void => host.diag.error('AnthropicInstrumentation: a telemetry hook failed; the call goes on', err);
      if (!observeMessagesResult(life, apiPromise, streaming, helper, hookError)) {
        host.diag.warn('AnthropicInstrumentation: the SDK returned no APIPromise it can observe; the call is recorded with estimated usage');
      }
    };
    const owner: CallOwner = {
      parentContext,
      inSyncWindow: false,
      adopt: kind === 'stream' ? (apiPromise) => observe(apiPromise, true) : undefined,
    };
    return { life, observe, sendArgs, owner };
  } catch (err) {
    call.end({ outcome: 'cancelled' });
    throw err;
  }
}

/**
 * A patched method called inside another patched call's synchronous window:
 * the `stream()` helper's own `create()`, or one client wrapping another. The
 * outer call owns the span; the helper's request is adopted so its events feed it.
 */
function runNested(host: PatchHost, outer: CallOwner, original: AnyFunction, resource: MessagesResource, args: unknown[]): unknown {
  const result = original.apply(resource, args);
  const adopt = outer.adopt;
  outer.adopt = undefined;
  if (adopt) {
    try {
      adopt(result);
    } catch (err) {
      host.diag.error('AnthropicInstrumentation: could not observe the helper request', err);
    }
  }
  return result;
}

/**
 * A refused call is never sent. `create()` returns the SDK's own APIPromise,
 * rejected with the BudgetExceededError (so `.withResponse()` still exists);
 * `stream()` returns its helper synchronously, so it throws.
 */
function refuse(host: PatchHost, kind: Kind, resource: MessagesResource, err: unknown): unknown {
  const ApiPromise = host.apiPromiseClass;
  if (kind === 'create' && ApiPromise) {
    try {
      const rejected = Promise.reject(err);
      rejected.catch(() => undefined);
      // 0.x before the client moved into APIPromise took (responsePromise, parse); 0.137 and 1.x take the client first.
      return ApiPromise.length >= 2 ? new ApiPromise(resource._client, rejected) : new ApiPromise(rejected);
    } catch (buildErr) {
      host.diag.error('AnthropicInstrumentation: could not build a rejected APIPromise; throwing instead', buildErr);
    }
  }
  throw err;
}

/**
 * `sdkSpans: 'suppress'`: the client's tracer is hidden for the synchronous
 * extent of the call. 0.137 and 1.12 read `client._tracer` synchronously in
 * `create()`, `request()` and the stream helper before their first await, and
 * make no span without it.
 */
function withSdkSpans<T>(host: PatchHost, client: SdkClient | undefined, fn: () => T): T {
  if (host.options().sdkSpans !== 'suppress' || !client || !client._tracer) return fn();
  const saved = client._tracer;
  client._tracer = undefined;
  try {
    return fn();
  } finally {
    client._tracer = saved;
  }
}

function signalOf(options: unknown): AbortSignal | undefined {
  if (!isRecord(options)) return undefined;
  // Duck-typed, as the SDK itself does: a polyfilled or other-realm signal is followed too.
  const signal = options['signal'] as { addEventListener?: unknown } | null | undefined;
  return signal && typeof signal.addEventListener === 'function' ? (signal as AbortSignal) : undefined;
}
