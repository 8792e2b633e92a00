import { describe, expect, it } from 'vitest';
import { SseDecoder } from '../src/sse-decoder';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('SseDecoder', () => {
  it('splits events at blank lines of any line ending, across reads, keeping each event as sent', () => {
    const d = new SseDecoder();
    expect(d.push(bytes('event: message_start\ndata: {"a":1}\n\nda'))).toEqual([{ raw: 'event: message_start\ndata: {"a":1}\n\n', data: { a: 1 } }]);
    expect(d.push(bytes('ta: {"b":2}\r\n\r'))).toEqual([]);
    expect(d.push(bytes('\ndata: [DONE]\n\n'))).toEqual([
      { raw: 'data: {"b":2}\r\n\r\n', data: { b: 2 } },
      { raw: 'data: [DONE]\n\n', data: undefined },
    ]);
    expect(d.end()).toEqual([]);
  });

  it('joins multi-line data, reads `data:` without a space, keeps non-JSON text, and flushes an unterminated event', () => {
    const d = new SseDecoder();
    expect(d.push(bytes('data:{"x":\ndata: 1}\n\n: comment\n\ndata: plain\n\n'))).toEqual([
      { raw: 'data:{"x":\ndata: 1}\n\n', data: { x: 1 } },
      { raw: ': comment\n\n', data: undefined },
      { raw: 'data: plain\n\n', data: 'plain' },
    ]);
    expect(d.push(bytes('data: {"last":true}'))).toEqual([]);
    expect(d.end()).toEqual([{ raw: 'data: {"last":true}', data: { last: true } }]);
  });

  it('decodes a character split across reads', () => {
    const d = new SseDecoder();
    const all = bytes('data: {"t":"é"}\n\n');
    const cut = all.indexOf(0xc3) + 1;
    expect(d.push(all.slice(0, cut))).toEqual([]);
    expect(d.push(all.slice(cut))).toEqual([{ raw: 'data: {"t":"é"}\n\n', data: { t: 'é' } }]);
  });
});
