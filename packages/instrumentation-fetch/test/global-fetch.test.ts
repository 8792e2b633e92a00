import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchInstrumentation } from '../src/index';
import { expectNothingOpen, harness, post, type Harness } from './support';

const messages = [{ role: 'user', content: 'hi' }];

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h, expect);
  h.reset();
});

describe('the global fetch', () => {
  it('coexists with wrappers installed before and after it, and disabling restores what was there', async () => {
    h.inst.disable();
    const plain = globalThis.fetch;
    const seen: string[] = [];
    const before = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push('before');
      return plain(input, init);
    }) as typeof fetch;
    globalThis.fetch = before;
    h.inst.enable();
    const ours = globalThis.fetch;
    expect(ours).not.toBe(before);
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push('after');
      return ours(input, init);
    }) as typeof fetch;
    const after = globalThis.fetch;
    try {
      await (await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages })).json();
      expect(seen).toEqual(['after', 'before']);
      expect(h.spans()).toHaveLength(1);
      // Under someone else's wrapper, ours turns into a pass-through: theirs stays.
      h.inst.disable();
      expect(globalThis.fetch).toBe(after);
      await (await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages })).json();
      expect(h.spans()).toHaveLength(1);
    } finally {
      globalThis.fetch = plain;
      h.inst.enable();
    }
  });

  it('is wrapped once when a second copy enables too, and the first copy keeps it', async () => {
    const ours = globalThis.fetch;
    const second = new FetchInstrumentation({ baseUrls: [h.fake.url] });
    expect(globalThis.fetch).toBe(ours);
    second.disable();
    expect(globalThis.fetch).toBe(ours);
    await (await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages })).json();
    expect(h.spans()).toHaveLength(1);
  });

  it('restores the original fetch when disabled on top', () => {
    h.inst.disable();
    const plain = globalThis.fetch;
    h.inst.enable();
    expect(globalThis.fetch).not.toBe(plain);
    expect(globalThis.fetch.name).toBe(plain.name);
    h.inst.disable();
    expect(globalThis.fetch).toBe(plain);
    h.inst.enable();
  });
});
