import type { RecordedRequest } from './types';
import type { MutableRecord } from './internal-types';

interface CountWaiter {
  count: number;
  resolve: (records: readonly RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The requests a fake has seen, bounded to the newest `maxRecords`, and the
 * promises tests wait on. Every wait has a timeout and is settled on close.
 */
export class RequestLog {
  private _records: MutableRecord[] = [];
  private readonly _closed = new Map<string, Promise<void>>();
  private _count = 0;
  private readonly _countWaiters = new Set<CountWaiter>();
  private readonly _closeTimers = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();

  constructor(private readonly _maxRecords: number) {}

  /** Records, oldest first. */
  get records(): readonly RecordedRequest[] {
    return this._records;
  }

  /** Adds a record and the promise that resolves when its response closes. */
  add(record: MutableRecord, closed: Promise<void>): void {
    this._records.push(record);
    this._closed.set(record.id, closed);
    while (this._records.length > this._maxRecords) {
      const dropped = this._records.shift();
      if (dropped) this._closed.delete(dropped.id);
    }
    this._count += 1;
    for (const waiter of [...this._countWaiters]) {
      if (this._count >= waiter.count) {
        this._countWaiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(this._records.slice());
      }
    }
  }

  /** Resolves once `count` requests have arrived since the last reset. */
  waitForRequests(count: number, timeoutMs: number): Promise<readonly RecordedRequest[]> {
    if (this._count >= count) return Promise.resolve(this._records.slice());
    return new Promise((resolve, reject) => {
      const waiter: CountWaiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this._countWaiters.delete(waiter);
          reject(new Error(`fake-llm: waited ${timeoutMs} ms for ${count} requests, saw ${this._count}`));
        }, timeoutMs),
      };
      this._countWaiters.add(waiter);
    });
  }

  /** Resolves with the record once the response of request `id` has closed. */
  waitForClose(id: string, timeoutMs: number): Promise<RecordedRequest> {
    const closed = this._closed.get(id);
    const record = this._records.find(r => r.id === id);
    if (!closed || !record) return Promise.reject(new Error(`fake-llm: no recorded request ${id}`));
    return new Promise((resolve, reject) => {
      const entry = {
        reject,
        timer: setTimeout(() => {
          this._closeTimers.delete(entry);
          reject(new Error(`fake-llm: request ${id} still open after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this._closeTimers.add(entry);
      void closed.then(() => {
        clearTimeout(entry.timer);
        this._closeTimers.delete(entry);
        resolve(record);
      });
    });
  }

  /** Forgets every record; waits in progress keep waiting for new requests. */
  reset(): void {
    this._records = [];
    this._closed.clear();
    this._count = 0;
  }

  /** Rejects every pending wait: the server is closing. */
  dispose(): void {
    const error = new Error('fake-llm: closed');
    for (const waiter of this._countWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this._countWaiters.clear();
    for (const entry of this._closeTimers) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this._closeTimers.clear();
  }
}
