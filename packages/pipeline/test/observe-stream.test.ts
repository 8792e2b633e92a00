import { createHook } from 'node:async_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeStream, type StreamHooks } from '../src/index';
import { CALLER_ABORT_GRACE_MS } from '../src/observe-stream';

async function* source(n: number, failAt?: number) {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error(`broke at ${i}`);
    yield i;
  }
}

function hooks(stop?: Error) {
  const log = { chunks: [] as number[], done: [] as Array<[unknown, boolean]>, hookErrors: [] as unknown[] };
  const h: StreamHooks<number> = {
    onChunk: (c) => {
      log.chunks.push(c);
      if (c === 1) throw new Error('our hook failed');
    },
    onDone: (e, stopped) => log.done.push([e, stopped]),
    stopError: () => stop,
    onHookError: (e) => log.hookErrors.push(e),
  };
  return { h, log };
}

describe('observeStream', () => {
  it('passes every chunk through and ends once on completion, whatever our hooks do', async () => {
    const { h, log } = hooks();
    const seen: number[] = [];
    for await (const c of observeStream(source(3), h)) seen.push(c);
    expect(seen).toEqual([0, 1, 2]);
    expect(log.chunks).toEqual([0, 1, 2]);
    expect(log.done).toEqual([[undefined, false]]);
    expect(log.hookErrors).toHaveLength(1);
  });

  it('ends once as consumer-stopped on break, and closes the source', async () => {
    let closed = false;
    const src = {
      async *[Symbol.asyncIterator]() {
        try {
          yield* source(5);
        } finally {
          closed = true;
        }
      },
    };
    const { h, log } = hooks();
    for await (const c of observeStream(src, h)) if (c === 2) break;
    expect(log.done).toEqual([[undefined, true]]);
    expect(closed).toBe(true);
  });

  it('rethrows a source error and ends once with it', async () => {
    const { h, log } = hooks();
    await expect(async () => {
      for await (const _ of observeStream(source(5, 3), h));
    }).rejects.toThrow('broke at 3');
    expect((log.done[0]![0] as Error).message).toBe('broke at 3');
    expect(log.done).toHaveLength(1);
  });

  it('throws the stop error when the source ends silently after an outside stop', async () => {
    const stop = new Error('budget');
    const { h, log } = hooks(stop);
    await expect(async () => {
      for await (const _ of observeStream(source(2), h));
    }).rejects.toBe(stop);
    expect(log.done).toEqual([[stop, false]]);
  });

  it('replaces the SDK abort error with the stop error, keeping it as the cause', async () => {
    const stop = new Error('budget');
    const { h } = hooks();
    let stopped: Error | undefined;
    const err = await (async () => {
      try {
        // The budget stops the call during the second read, which fails with the SDK's abort error.
        const sdk = (async function* () {
          yield 0;
          stopped = stop;
          throw new Error('broke at 1');
        })();
        for await (const _ of observeStream(sdk, { ...h, stopError: () => stopped }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBe(stop);
    expect((err!.cause as Error).message).toBe('broke at 1');
  });

  it('ends once as consumer-stopped when closed before the first read, and closes the source', async () => {
    let closed = false;
    const src = { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: false, value: 1 }), return: async () => ((closed = true), { done: true, value: undefined }) }) };
    const { h, log } = hooks();
    await observeStream(src as AsyncIterable<number>, h).return!();
    expect(log.done).toEqual([[undefined, true]]);
    expect(closed).toBe(true);
  });
});

describe('observeStream racing the call signal', () => {
  afterEach(() => vi.useRealTimers());

  /** A source whose reads never settle, like openai 6's on undici after a late abort. */
  const stuck = (): AsyncIterable<number> & { closed: boolean } => {
    const src = {
      closed: false,
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>(() => undefined),
        return: async () => ((src.closed = true), { done: true as const, value: undefined }),
      }),
    };
    return src;
  };

  it('settles a pending read with the stop error the moment a budget aborts the call', async () => {
    const controller = new AbortController();
    let stop: Error | undefined;
    const { h, log } = hooks();
    const src = stuck();
    const it = observeStream(src, { ...h, stopError: () => stop, signal: controller.signal });
    const read = it.next();
    stop = new Error('budget');
    controller.abort();
    await expect(read).rejects.toBe(stop);
    expect(log.done).toEqual([[stop, false]]);
    expect(src.closed).toBe(true);
    await expect(it.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('throws the stop error without reading when the call was stopped between reads', async () => {
    const stop = new Error('budget');
    const { h, log } = hooks();
    const src = stuck();
    const it = observeStream(src, { ...h, stopError: () => stop, signal: AbortSignal.abort() });
    await expect(it.next()).rejects.toBe(stop);
    expect(log.done).toEqual([[stop, false]]);
    expect(src.closed).toBe(true);
  });

  it("leaves a read pending at the caller's abort to the SDK for a grace period, then rejects with the caller's reason", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { h, log } = hooks();
    const it = observeStream(stuck(), { ...h, signal: controller.signal });
    const read = it.next();
    const reason = new Error('caller stop');
    controller.abort(reason);
    let settled = false;
    read.catch(() => (settled = true));
    await vi.advanceTimersByTimeAsync(CALLER_ABORT_GRACE_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(read).rejects.toBe(reason);
    expect(log.done).toEqual([[reason, false]]);
  });

  it('lets a read the SDK settles itself after the caller aborts end the stream as the SDK ends it', async () => {
    const controller = new AbortController();
    const { h, log } = hooks();
    const src = (async function* () {
      yield 0;
      controller.abort();
    })();
    const seen: number[] = [];
    for await (const c of observeStream(src, { ...h, signal: controller.signal })) seen.push(c);
    expect(seen).toEqual([0]);
    expect(log.done).toEqual([[undefined, false]]);
  });

  it('follows the signal with one listener per stream, removed at its end, not one per read', async () => {
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const { h } = hooks();
    const seen: number[] = [];
    for await (const c of observeStream(source(5), { ...h, onChunk: () => undefined, signal: controller.signal })) seen.push(c);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect([added.mock.calls.length, removed.mock.calls.length]).toEqual([1, 1]);
  });

  it('hands the consumer the chunk whose observation stopped the call, then the stop error', async () => {
    const controller = new AbortController();
    let stop: Error | undefined;
    const { h, log } = hooks();
    const onChunk = (c: number): void => {
      if (c !== 1) return;
      stop = new Error('budget');
      controller.abort(); // the crossing chunk's own usage stops its call
    };
    const it = observeStream(source(5), { ...h, onChunk, stopError: () => stop, signal: controller.signal });
    await expect(it.next()).resolves.toEqual({ done: false, value: 0 });
    await expect(it.next()).resolves.toEqual({ done: false, value: 1 });
    await expect(it.next()).rejects.toBe(stop);
    expect(log.done).toEqual([[stop, false]]);
  });

  it('leaves out the chunks `hide` takes, after observing them', async () => {
    const { h, log } = hooks();
    const seen: number[] = [];
    const observed: number[] = [];
    const it = observeStream(source(6), { ...h, onChunk: (c) => observed.push(c), hide: (c) => c % 2 === 1, signal: new AbortController().signal });
    for await (const c of it) seen.push(c);
    expect([seen, observed]).toEqual([[0, 2, 4], [0, 1, 2, 3, 4, 5]]);
    expect(log.done).toEqual([[undefined, false]]);
  });

  it('serves next() calls made before the previous one settled, in order', async () => {
    const { h } = hooks();
    const it = observeStream(source(2), { ...h, onChunk: () => undefined, signal: new AbortController().signal });
    const reads = await Promise.all([it.next(), it.next(), it.next()]);
    expect(reads).toEqual([{ done: false, value: 0 }, { done: false, value: 1 }, { done: true, value: undefined }]);
  });
});

// A call nothing can stop from outside (no budget applies, no caller signal) has no signal to race.
describe('observeStream with no signal to race', () => {
  it('leaves out the chunks `hide` takes, after observing them', async () => {
    const { h, log } = hooks();
    const seen: number[] = [];
    const observed: number[] = [];
    const it = observeStream(source(6), { ...h, onChunk: (c) => observed.push(c), hide: (c) => c % 2 === 1 });
    for await (const c of it) seen.push(c);
    expect([seen, observed]).toEqual([[0, 2, 4], [0, 1, 2, 3, 4, 5]]);
    expect(log.done).toEqual([[undefined, false]]);
  });

  it('serves next() calls made before the previous one settled, in order, hidden chunks skipped', async () => {
    const { h } = hooks();
    const it = observeStream(source(4), { ...h, onChunk: () => undefined, hide: (c) => c === 1 });
    const reads = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
    expect(reads).toEqual([{ done: false, value: 0 }, { done: false, value: 2 }, { done: false, value: 3 }, { done: true, value: undefined }]);
  });

  it('ends once with a source error after the chunks before it', async () => {
    const { h, log } = hooks();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const c of observeStream(source(4, 2), { ...h, onChunk: () => undefined })) seen.push(c);
      })(),
    ).rejects.toThrow('broke at 2');
    expect(seen).toEqual([0, 1]);
    expect(log.done).toEqual([[new Error('broke at 2'), false]]);
  });

  it('makes one promise per chunk of its own (the source read chained once), not a promise and a reaction', async () => {
    // Counted with async_hooks, as the context manager pays for each: 200 chunks from a source whose
    // next() returns ready promises made before counting, read alone and then through observeStream.
    const ready = (): AsyncIterable<number> => {
      const results = Array.from({ length: 200 }, (_, i) => Promise.resolve({ done: false as const, value: i }));
      let at = 0;
      return { [Symbol.asyncIterator]: () => ({ next: () => results[at++] ?? Promise.resolve({ done: true as const, value: undefined }) }) };
    };
    const promisesReading = async (iterable: AsyncIterable<number>): Promise<number> => {
      const iterator = iterable[Symbol.asyncIterator]();
      let promises = 0;
      const hook = createHook({ init: (_id, type) => void (type === 'PROMISE' && promises++) }).enable();
      try {
        for (let r = await iterator.next(); !r.done; r = await iterator.next());
      } finally {
        hook.disable();
      }
      return promises;
    };
    const alone = await promisesReading(ready());
    const observed = await promisesReading(observeStream(ready(), { ...hooks().h, onChunk: () => undefined }));
    expect((observed - alone) / 200).toBeLessThan(1.5);
  });
});
