import { describe, expect, it } from 'vitest';
import { CallAbort } from '../src/index';

describe('CallAbort', () => {
  it('follows the caller signal and records that the caller aborted', () => {
    const caller = new AbortController();
    const call = new CallAbort(caller.signal);
    expect(call.signal.aborted).toBe(false);
    caller.abort(new Error('user stop'));
    expect(call.signal.aborted).toBe(true);
    expect(call.callerAborted).toBe(true);
    expect((call.signal.reason as Error).message).toBe('user stop');
  });

  it('starts aborted when the caller signal already is', () => {
    const caller = new AbortController();
    caller.abort();
    const call = new CallAbort(caller.signal);
    expect([call.signal.aborted, call.callerAborted]).toEqual([true, true]);
  });

  it('aborts on its own with an AbortError without touching the caller signal', () => {
    const caller = new AbortController();
    const call = new CallAbort(caller.signal);
    call.abort('budget');
    expect(call.signal.reason).toBeInstanceOf(DOMException);
    expect((call.signal.reason as DOMException).name).toBe('AbortError');
    expect([caller.signal.aborted, call.callerAborted]).toEqual([false, false]);
  });

  it('removes its listener from the caller signal on release', () => {
    const caller = new AbortController();
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const signal = caller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((t: string, l: any, o: any) => (added.push(l), add(t, l, o))) as typeof add;
    signal.removeEventListener = ((t: string, l: any, o: any) => (removed.push(l), remove(t, l, o))) as typeof remove;
    const call = new CallAbort(signal);
    call.release();
    call.release();
    expect(added).toHaveLength(1);
    expect(removed).toEqual(added);
    caller.abort();
    expect(call.signal.aborted).toBe(false);
  });
});
