/** A standing budget's window length. */
export type WindowSize = '1h' | '1d' | '7d' | '1mo';

export const WINDOW_SIZES: readonly WindowSize[] = ['1h', '1d', '7d', '1mo'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One calendar window: `[startMs, endMs)`, UTC. */
export interface CalendarWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The calendar window holding `nowMs`, aligned to UTC boundaries: the hour (`1h`), the day from
 * 00:00 (`1d`), the ISO week from Monday 00:00 (`7d`), the month from its first day 00:00 (`1mo`,
 * so 28 to 31 days long).
 */
export function calendarWindow(size: WindowSize, nowMs: number): CalendarWindow {
  switch (size) {
    case '1h': {
      const startMs = Math.floor(nowMs / HOUR) * HOUR;
      return { startMs, endMs: startMs + HOUR };
    }
    case '1d': {
      const startMs = Math.floor(nowMs / DAY) * DAY;
      return { startMs, endMs: startMs + DAY };
    }
    case '7d': {
      const days = Math.floor(nowMs / DAY);
      // 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on a Monday.
      const sinceMonday = (((days + 3) % 7) + 7) % 7;
      const startMs = (days - sinceMonday) * DAY;
      return { startMs, endMs: startMs + 7 * DAY };
    }
    case '1mo': {
      const d = new Date(nowMs);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth();
      return { startMs: Date.UTC(y, m, 1), endMs: Date.UTC(y, m + 1, 1) };
    }
  }
}

/**
 * A rolling window is a ring of equal buckets: spend is counted in the bucket its call started
 * in, and the window at `now` is the bucket holding `now` with the `count - 1` buckets before it.
 * So a call's spend leaves the window between `(count - 1) × bucketMs` and `count × bucketMs`
 * after it started. A rolling `1mo` is 30 days.
 */
export const ROLLING_BUCKETS: Readonly<Record<WindowSize, { readonly bucketMs: number; readonly count: number }>> = {
  '1h': { bucketMs: 5 * 60_000, count: 12 },
  '1d': { bucketMs: HOUR, count: 24 },
  '7d': { bucketMs: 6 * HOUR, count: 28 },
  '1mo': { bucketMs: DAY, count: 30 },
};

/** The rolling window at `nowMs`: the current bucket's start, and the earlier buckets' starts still in it (newest first). */
export interface RollingWindow {
  readonly currentStartMs: number;
  readonly earlierStartsMs: readonly number[];
  /** When the current bucket leaves the window: its start + count × bucketMs. */
  readonly currentExpiresMs: number;
}

export function rollingWindow(size: WindowSize, nowMs: number): RollingWindow {
  const { bucketMs, count } = ROLLING_BUCKETS[size];
  const currentStartMs = Math.floor(nowMs / bucketMs) * bucketMs;
  const earlierStartsMs: number[] = [];
  for (let i = 1; i < count; i++) earlierStartsMs.push(currentStartMs - i * bucketMs);
  return { currentStartMs, earlierStartsMs, currentExpiresMs: currentStartMs + count * bucketMs };
}

/** A window start as written in scope keys: ISO 8601 UTC. */
export function windowLabel(startMs: number): string {
  return new Date(startMs).toISOString();
}
