import { createContextKey, type Context } from '@opentelemetry/api';
import { registry } from './registry';

/**
 * Who owns a model call: the outermost instrumented call. The patched call
 * whose original SDK method is running right now owns it. A patched
 * method called during that synchronous window is part of that call (the
 * `stream()` helper calling `create()`, a client wrapping another client): it
 * starts no span of its own. The window is tracked on the registry rather
 * than in the OTel context, so it holds with no context manager registered,
 * and across an ESM and a CJS copy of this package.
 *
 * The owner is also set in the context the SDK call runs in. A patched method
 * that finds it there after the window closed (from a helper's event
 * listener, which runs in the helper's context) makes a new call, parented
 * where the owning call was rather than under it.
 */
export interface CallOwner {
  /** The context the owning call's span was started in. */
  readonly parentContext: Context;
  /** True while the owning call's original SDK method runs synchronously. */
  inSyncWindow: boolean;
  /** Takes the APIPromise of the first nested `create()` (the helper's request), once. */
  adopt: ((apiPromise: unknown) => void) | undefined;
}

// `createContextKey` uses `Symbol.for`, so an ESM and a CJS copy of this package share it.
const OWNER_KEY = createContextKey('costtrace.call_owner');

export function getCallOwner(ctx: Context): CallOwner | undefined {
  return ctx.getValue(OWNER_KEY) as CallOwner | undefined;
}

export function setCallOwner(ctx: Context, owner: CallOwner): Context {
  return ctx.setValue(OWNER_KEY, owner);
}

/** The owner whose synchronous window is open, if any. */
export function syncOwner(): CallOwner | undefined {
  const owner = registry().syncOwner as CallOwner | undefined;
  return owner?.inSyncWindow ? owner : undefined;
}

/** Runs `fn` (the original SDK method) inside `owner`'s synchronous window. */
export function inSyncWindow<T>(owner: CallOwner, fn: () => T): T {
  const reg = registry();
  const previous = reg.syncOwner;
  reg.syncOwner = owner;
  owner.inSyncWindow = true;
  try {
    return fn();
  } finally {
    owner.inSyncWindow = false;
    reg.syncOwner = previous;
  }
}

/**
 * The model call whose request a context belongs to: set in the context every
 * {@link InferenceCall} runs its SDK method in, so that a lower layer (the
 * wire-level `fetch` instrumentation) seeing a request made from inside an
 * SDK-level call knows the call is owned already and passes it through. Read
 * through the context, not the registry: the SDK sends its request after an
 * `await`, long after the synchronous window closed. Needs a context manager
 * (`register` and `NodeSDK` install one).
 */
const INFERENCE_CALL_KEY = createContextKey('costtrace.inference_call');

/** What a context says about its owning call; kept minimal, as another copy of this package may have set it. */
export interface OwningCall {
  readonly ended: boolean;
}

export function setOwningCall(ctx: Context, call: OwningCall): Context {
  return ctx.setValue(INFERENCE_CALL_KEY, call);
}

/** True when `ctx` runs inside a model call that is still open (an SDK-level span owns the request). */
export function ownedByOpenCall(ctx: Context): boolean {
  const call = ctx.getValue(INFERENCE_CALL_KEY) as OwningCall | undefined;
  return call !== undefined && call.ended === false;
}

/**
 * Where the owning call's own HTTP request stands, kept on the call object under a
 * `Symbol.for` key so an ESM and a CJS copy of this package agree on it: `sending` while
 * its request is out, `answered` once a response came back OK. Absent: not sent yet, or
 * the last attempt failed and the SDK may retry it.
 */
const REQUEST_STATE = Symbol.for('costtrace.owned_request');

type RequestState = 'sending' | 'answered';

/**
 * Claims a request made in `ctx` for the open call that owns the context, if it is that
 * call's own request: the first one, or the SDK's retry after an attempt that failed.
 * Returns the function to report how the request went (`true`: an OK response), or
 * undefined when the request is not the owning call's own. Anything else sent in that
 * context (from a stream helper's event listener, which runs there, or while the call's
 * request is still out) is a model call of its own.
 */
export function claimOwnedRequest(ctx: Context): ((ok: boolean) => void) | undefined {
  const call = ctx.getValue(INFERENCE_CALL_KEY) as (OwningCall & { [REQUEST_STATE]?: RequestState }) | undefined;
  if (call === undefined || call.ended !== false || call[REQUEST_STATE] !== undefined) return undefined;
  call[REQUEST_STATE] = 'sending';
  return (ok) => {
    call[REQUEST_STATE] = ok ? 'answered' : undefined;
  };
}
