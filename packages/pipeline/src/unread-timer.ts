/**
 * The timer that ends a call whose response or stream is never read, so its
 * span does not stay open for ever. Unref'd: it never keeps a process alive.
 */
export class UnreadTimer {
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly _ms: number) {}

  arm(onUnread: () => void): void {
    this.clear();
    this._timer = setTimeout(() => {
      this._timer = undefined;
      onUnread();
    }, this._ms);
    this._timer.unref?.();
  }

  clear(): void {
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = undefined;
  }
}
