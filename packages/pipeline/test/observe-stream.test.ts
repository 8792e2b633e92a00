import { describe, expect, it } from 'vitest';
import { observeStream, type StreamHooks } from '../src/index';

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
    const { h } = hooks(stop);
    const err = await (async () => {
      try {
        for await (const _ of observeStream(source(5, 1), h));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBe(stop);
    expect((err!.cause as Error).message).toBe('broke at 1');
  });
});
