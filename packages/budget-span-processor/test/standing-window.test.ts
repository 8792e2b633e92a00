import { describe, expect, it } from 'vitest';
import { calendarWindow, rollingWindow, type WindowSize } from '../src/standing-window';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('calendar windows, aligned to UTC boundaries', () => {
  it.each<[WindowSize, string, string, string]>([
    ['1h', '2026-11-29T20:59:59.999Z', '2026-11-29T20:00:00.000Z', '2026-11-29T21:00:00.000Z'],
    ['1h', '2026-11-29T21:00:00.000Z', '2026-11-29T21:00:00.000Z', '2026-11-29T22:00:00.000Z'],
    ['1d', '2026-11-29T23:59:59.999Z', '2026-11-29T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
    ['1d', '2026-11-30T00:00:00.000Z', '2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    // 2026-11-29 is a Sunday: its ISO week began on Monday the 23rd.
    ['7d', '2026-11-29T23:59:59.999Z', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
    ['7d', '2026-11-30T00:00:00.000Z', '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'],
    // 1970-01-01 was a Thursday: its week began on Monday 1969-12-29 (before the epoch).
    ['7d', '1970-01-01T12:00:00.000Z', '1969-12-29T00:00:00.000Z', '1970-01-05T00:00:00.000Z'],
    // Months of 31, 30, 28 and 29 days, and a year's turn.
    ['1mo', '2026-01-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['1mo', '2026-11-29T20:00:00.000Z', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['1mo', '2026-02-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['1mo', '2028-02-29T23:00:00.000Z', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['1mo', '2026-12-31T23:59:59.999Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['1mo', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z'],
  ])('%s at %s is [%s, %s)', (size, now, start, end) => {
    const w = calendarWindow(size, at(now));
    expect([iso(w.startMs), iso(w.endMs)]).toEqual([start, end]);
  });

  it('gives a month its own length: 31, 28, 29 and 30 days', () => {
    const days = (now: string) => {
      const w = calendarWindow('1mo', at(now));
      return (w.endMs - w.startMs) / 86_400_000;
    };
    expect([days('2026-01-10T00:00:00Z'), days('2026-02-10T00:00:00Z'), days('2028-02-10T00:00:00Z'), days('2026-04-10T00:00:00Z')]).toEqual([31, 28, 29, 30]);
  });
});

describe('rolling windows, a ring of buckets', () => {
  it('1d: the current hour bucket and the 23 before it; the bucket leaves the window 24 h after its start', () => {
    const w = rollingWindow('1d', at('2026-11-29T20:30:00.000Z'));
    expect(iso(w.currentStartMs)).toBe('2026-11-29T20:00:00.000Z');
    expect(w.earlierStartsMs).toHaveLength(23);
    expect(iso(w.earlierStartsMs[0]!)).toBe('2026-11-29T19:00:00.000Z');
    expect(iso(w.earlierStartsMs[22]!)).toBe('2026-11-28T21:00:00.000Z');
    expect(iso(w.currentExpiresMs)).toBe('2026-11-30T20:00:00.000Z');
  });

  it.each<[WindowSize, number, number]>([
    // [size, bucket minutes, buckets]
    ['1h', 5, 12],
    ['1d', 60, 24],
    ['7d', 360, 28],
    ['1mo', 1440, 30],
  ])('%s is %i-minute buckets, %i of them', (size, minutes, count) => {
    const w = rollingWindow(size, at('2026-11-29T20:31:07.000Z'));
    expect(w.earlierStartsMs).toHaveLength(count - 1);
    expect(w.currentStartMs - w.earlierStartsMs[0]!).toBe(minutes * 60_000);
    expect(w.currentExpiresMs - w.currentStartMs).toBe(count * minutes * 60_000);
    expect(w.currentStartMs % (minutes * 60_000)).toBe(0);
  });

  it('moves on a bucket at a time: an hour later the oldest bucket has left and the next one is current', () => {
    const before = rollingWindow('1d', at('2026-11-29T20:59:59.999Z'));
    const after = rollingWindow('1d', at('2026-11-29T21:00:00.000Z'));
    expect(after.earlierStartsMs[0]).toBe(before.currentStartMs);
    expect(after.earlierStartsMs).not.toContain(before.earlierStartsMs[22]);
  });
});
