import type { ServerResponse } from 'node:http';
import type { MutableRecord } from './internal-types';

/**
 * One HTTP response as the fake writes it: headers, JSON, SSE events one by one
 * with real delays, and a record of how it closed. Every method is safe to call
 * after the client went away: writes become no-ops and sleeps end at once.
 */
export class ResponseChannel {
  private _closed = false;
  private _destroyedByServer = false;
  private readonly _closeWaiters = new Set<() => void>();
  /** Resolves when the response has closed, however it closed. */
  readonly closed: Promise<void>;

  constructor(
    private readonly _res: ServerResponse,
    private readonly _record: MutableRecord,
  ) {
    this.closed = new Promise(resolve => {
      const onClose = (): void => {
        this._closed = true;
        const finished = _res.writableFinished;
        _record.endedAt = Date.now();
        _record.completed = finished;
        _record.disconnected = this._destroyedByServer;
        // A response that closes before it finished was cut by the client,
        // unless the fake destroyed it on purpose.
        _record.clientClosedEarly = !finished && !this._destroyedByServer;
        for (const wake of this._closeWaiters) wake();
        this._closeWaiters.clear();
        resolve();
      };
      // The client may have gone while the request body was still being read.
      if (_res.closed || _res.destroyed) onClose();
      else _res.once('close', onClose);
    });
    // An EPIPE or ECONNRESET after the client left must not crash the process.
    _res.on('error', () => undefined);
  }

  /** Whether the response has closed. */
  get isClosed(): boolean {
    return this._closed;
  }

  /** Sends the status line and headers now, so a stream's client sees them before any event. */
  start(status: number, headers: Record<string, string>): void {
    if (this._closed || this._res.headersSent) return;
    this._record.status = status;
    this._res.writeHead(status, headers);
    this._res.flushHeaders();
  }

  /** Writes a whole body with its status and headers and ends the response. */
  send(status: number, headers: Record<string, string>, body: string): void {
    if (this._closed) return;
    this._record.status = status;
    if (!this._res.headersSent) {
      this._res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    }
    this._res.end(body);
  }

  /** Writes an SSE event (or any text); waits for the socket to drain. False once closed. */
  async write(text: string | Uint8Array): Promise<boolean> {
    if (this._closed) return false;
    this._record.eventsSent += 1;
    if (!this._res.write(text)) {
      await new Promise<void>(resolve => {
        const done = (): void => {
          this._res.off('drain', done);
          this._closeWaiters.delete(done);
          resolve();
        };
        this._res.once('drain', done);
        this._closeWaiters.add(done);
      });
    }
    return !this._closed;
  }

  /** Waits `ms`, ending early when the response closes. False once closed. */
  async sleep(ms: number): Promise<boolean> {
    if (this._closed) return false;
    if (ms > 0) {
      await new Promise<void>(resolve => {
        const done = (): void => {
          clearTimeout(timer);
          this._closeWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        this._closeWaiters.add(done);
      });
    }
    return !this._closed;
  }

  /** Ends the response normally. */
  end(): void {
    if (!this._closed) this._res.end();
  }

  /** Destroys the socket mid-response, as a dropped connection would. */
  destroy(): void {
    if (this._closed) return;
    this._destroyedByServer = true;
    this._res.destroy();
  }
}
