/**
 * One AbortController per model call. It follows the caller's own signal with
 * a listener that is removed when the call ends: `AbortSignal.any()` over a
 * long-lived caller signal keeps every derived signal alive (a leak on Node 20
 * and 24), so it is not used.
 */
export class CallAbort {
  private readonly _controller = new AbortController();
  private _caller: AbortSignal | undefined;
  private _onCallerAbort: (() => void) | undefined;
  private _callerAborted = false;

  constructor(caller?: AbortSignal | null) {
    if (!caller) return;
    if (caller.aborted) {
      this._callerAborted = true;
      this._controller.abort(caller.reason);
      return;
    }
    this._caller = caller;
    this._onCallerAbort = () => {
      this._callerAborted = true;
      this._controller.abort(caller.reason);
    };
    caller.addEventListener('abort', this._onCallerAbort, { once: true });
  }

  /** The signal handed to the SDK in place of the caller's own. */
  get signal(): AbortSignal {
    return this._controller.signal;
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
    if (!this._controller.signal.aborted) this._controller.abort(new DOMException(message, 'AbortError'));
  }

  /** Drops the listener on the caller's signal. Safe to call more than once. */
  release(): void {
    if (this._caller && this._onCallerAbort) this._caller.removeEventListener('abort', this._onCallerAbort);
    this._caller = undefined;
    this._onCallerAbort = undefined;
  }
}
