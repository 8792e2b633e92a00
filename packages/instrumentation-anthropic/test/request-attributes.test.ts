import { afterEach, describe, expect, it } from 'vitest';
import { requestAttributes } from '../src/request-attributes';

const RealURL = globalThis.URL;
afterEach(() => {
  globalThis.URL = RealURL;
});

describe('requestAttributes', () => {
  it('parses a base URL once, and hands every call its own copy of the server attributes', () => {
    let parsed = 0;
    globalThis.URL = class CountingURL extends RealURL {
      constructor(...args: ConstructorParameters<typeof URL>) {
        super(...args);
        parsed++;
      }
    } as typeof URL;
    const base = 'http://[::1]:8123/anthropic-parse-once';
    const first = requestAttributes({ max_tokens: 64 }, base, false);
    first['server.address'] = 'changed by the caller of the first call';
    const second = requestAttributes({}, base, true);
    expect(parsed).toBe(1);
    expect(first).not.toBe(second);
    expect(second).toEqual({ 'server.address': '::1', 'server.port': 8123, 'gen_ai.request.stream': true });
    expect(requestAttributes({}, 'https://api.anthropic.com', false)).toEqual({
      'server.address': 'api.anthropic.com',
      'server.port': 443,
    });
    expect(parsed).toBe(2);
  });
});
