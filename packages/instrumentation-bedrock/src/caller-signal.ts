import { isRecord } from '@costtrace/pipeline';

/**
 * `@smithy/abort-controller`'s AbortSignal (and the older `@aws-sdk/abort-controller`'s),
 * which the AWS SDK accepts as `abortSignal`: an `aborted` flag and one
 * `onabort` handler, no `addEventListener`.
 */
interface HandlerSignal {
  readonly aborted: boolean;
  onabort: unknown;
}

/** The standard signal that follows one handler-only signal, and the handler we put on it. */
export interface FollowedSignal {
  readonly controller: AbortController;
  handler: unknown;
}

/** One `FollowedSignal` per handler-only caller signal, for the instrumentation's life. */
export type FollowedSignals = WeakMap<object, FollowedSignal>;

/**
 * The caller's `abortSignal` as a standard AbortSignal the call can follow:
 * a standard one as it is; an AWS SDK (smithy) one through a controller of
 * ours that its `onabort` aborts. The caller's own handler is chained, not
 * replaced, and the chain is made once per signal (again only if someone set
 * another handler since), so a signal reused for many calls does not grow it.
 * Undefined when there is no signal or none we can follow.
 */
export function callerSignalOf(options: unknown, followed: FollowedSignals): AbortSignal | undefined {
  if (!isRecord(options)) return undefined;
  const signal = options['abortSignal'];
  if (typeof signal !== 'object' || signal === null) return undefined;
  if (typeof (signal as { addEventListener?: unknown }).addEventListener === 'function') return signal as AbortSignal;
  if (!('onabort' in signal) || typeof (signal as { aborted?: unknown }).aborted !== 'boolean') return undefined;
  return followHandlerSignal(signal as HandlerSignal, followed);
}

function followHandlerSignal(signal: HandlerSignal, followed: FollowedSignals): AbortSignal {
  let entry = followed.get(signal);
  if (entry === undefined) {
    entry = { controller: new AbortController(), handler: undefined };
    followed.set(signal, entry);
  }
  const { controller } = entry;
  if (signal.aborted) {
    controller.abort();
  } else if (signal.onabort !== entry.handler) {
    const previous = signal.onabort;
    entry.handler = signal.onabort = function onabort(this: unknown, ...args: unknown[]): unknown {
      try {
        return typeof previous === 'function' ? (previous as (...a: unknown[]) => unknown).apply(this, args) : undefined;
      } finally {
        controller.abort();
      }
    };
  }
  return controller.signal;
}
