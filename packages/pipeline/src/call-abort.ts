/**
 * One AbortController per model call. It follows the caller's own signal with
 * a listener that is removed when the call ends: `AbortSignal.any()` over a
 * long-lived caller signal keeps every derived signal alive (a leak on Node 20
 * and 24), so it is not used.
 */
export class CallAbort {
  /** Created on first use: a call nothing can stop never needs one. */
  private _controller: AbortController | undefined;
  private _caller: AbortSignal | undefined;
  private _onCallerAbort: (() => void) | undefined;
  private _callerAborted = false;

  constructor(caller?: AbortSignal | null) {
    if (!caller) return;
    const controller = (this._controller = new AbortController());
    if (caller.aborted) {
      this._callerAborted = true;
      controller.abort(caller.reason);
      return;
    }
    this._caller = caller;
    this._onCallerAbort = () => {
      this._callerAborted = true;
      controller.abort(caller.reason);
    };
    caller.addEventListener('abort', this._onCallerAbort, { once: true });
  }

  /** The signal handed to the SDK in place of the caller's own. */
  get signal(): AbortSignal {
    return (this._controller ??= new AbortController()).signal;
  }

  /** True when the call follows a caller's signal (so its own signal must be handed to the SDK). */
  get followsCaller(): boolean {
    return this._controller !== undefined;
  }

  /** True when the caller's own signal stopped the call. */
  get callerAborted(): boolean {
    return this._callerAborted;
  }

  /**
   * Stops the request. The reason is an `AbortError`, so the SDK takes its own
   * user-abort path exactly as it would for the caller's signal.
   */
  abort(message: string): void {
    const controller = (this._controller ??= new AbortController());
    if (!controller.signal.aborted) controller.abort(new DOMException(message, 'AbortError'));
  }

  /** Drops the listener on the caller's signal. Safe to call more than once. */
  release(): void {
    if (this._caller && this._onCallerAbort) this._caller.removeEventListener('abort', this._onCallerAbort);
    this._caller = undefined;
    this._onCallerAbort = undefined;
  }
}
