import type { OverrideWindow, PriceConstraint, PriceVariant } from './internal-types';

const DAY_MS = 86_400_000;

/** Parses a genai-prices time of day (`16:30:00Z`, `08:00:00+08:00`) to seconds after UTC midnight. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!match) return undefined;
  const [, hh, mm, ss, frac = '', zone, sign, offH = '00', offM = '00'] = match;
  const hours = Number(hh);
  const minutes = Number(mm);
  const seconds = Number(ss);
  if (hours > 23 || minutes > 59 || seconds > 59 || Number(offH) > 23 || Number(offM) > 59) return undefined;
  const local = hours * 3600 + minutes * 60 + seconds + Number(`0.${frac || '0'}`);
  const offset = zone === 'Z' ? 0 : (sign === '+' ? 1 : -1) * (Number(offH) * 60 + Number(offM)) * 60;
  return (local - offset + 86_400) % 86_400;
}

/** Normalises a genai-prices constraint; undefined for one it does not know (never matches). */
export function normalizeConstraint(constraint: unknown): PriceConstraint | 'invalid' | undefined {
  if (constraint === undefined || constraint === null) return undefined;
  if (typeof constraint !== 'object') return 'invalid';
  const c = constraint as Record<string, unknown>;
  if (typeof c.start_date === 'string' && (c.type === undefined || c.type === 'start_date')) {
    const atMs = Date.parse(c.start_date);
    return Number.isNaN(atMs) ? 'invalid' : { type: 'start_date', atMs };
  }
  if (typeof c.start_time === 'string' && typeof c.end_time === 'string' && (c.type === undefined || c.type === 'time_of_date')) {
    const startSec = parseTimeOfDay(c.start_time);
    const endSec = parseTimeOfDay(c.end_time);
    if (startSec === undefined || endSec === undefined) return 'invalid';
    return { type: 'time_of_day', startSec, endSec };
  }
  return 'invalid';
}

/**
 * The variant genai-prices would choose at `timeMs` (the last whose constraint holds; an unconstrained
 * one holds always; the first as a fallback), and the window [from, until) over which that choice
 * cannot change: no start date and no daily start or end time lies inside it.
 */
export function selectVariant(
  variants: PriceVariant[],
  timeMs: number,
): { variant: PriceVariant; from: number; until: number } {
  let chosen = variants[0] as PriceVariant;
  for (let i = variants.length - 1; i >= 0; i--) {
    const variant = variants[i] as PriceVariant;
    if (holds(variant.constraint, timeMs)) {
      chosen = variant;
      break;
    }
  }
  let from = -Infinity;
  let until = Infinity;
  const consider = (boundary: number) => {
    if (boundary <= timeMs) {
      if (boundary > from) from = boundary;
    } else if (boundary < until) {
      until = boundary;
    }
  };
  const dayStart = Math.floor(timeMs / DAY_MS) * DAY_MS;
  for (const { constraint } of variants) {
    if (!constraint) continue;
    if (constraint.type === 'start_date') {
      consider(constraint.atMs);
    } else {
      for (const day of [dayStart - DAY_MS, dayStart, dayStart + DAY_MS]) {
        consider(day + constraint.startSec * 1000);
        consider(day + constraint.endSec * 1000);
      }
    }
  }
  return { variant: chosen, from, until };
}

function holds(constraint: PriceConstraint | undefined, timeMs: number): boolean {
  if (!constraint) return true;
  if (constraint.type === 'start_date') return timeMs >= constraint.atMs;
  const second = (((timeMs % DAY_MS) + DAY_MS) % DAY_MS) / 1000;
  const { startSec, endSec } = constraint;
  return endSec < startSec ? second >= startSec || second < endSec : second >= startSec && second < endSec;
}

/** Parses an override's time of day: `HH:MM`, `HH:MM:SS`, with `Z` or `±HH:MM` (UTC when neither). */
export function parseOverrideTimeOfDay(text: string): number | undefined {
  const match = /^(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!match) return undefined;
  return parseTimeOfDay(`${match[1]}${match[2] ?? ':00'}${match[3] ?? 'Z'}`);
}

/**
 * Whether an override's window holds at `timeMs`, and the interval [from, until) around it over
 * which that cannot change (no start, end or daily boundary inside it).
 */
export function windowAt(window: OverrideWindow, timeMs: number): { holds: boolean; from: number; until: number } {
  let from = -Infinity;
  let until = Infinity;
  const consider = (boundary: number) => {
    if (boundary <= timeMs) {
      if (boundary > from) from = boundary;
    } else if (boundary < until) {
      until = boundary;
    }
  };
  if (window.fromMs !== undefined) consider(window.fromMs);
  if (window.untilMs !== undefined) consider(window.untilMs);
  let holds = (window.fromMs === undefined || timeMs >= window.fromMs) && (window.untilMs === undefined || timeMs < window.untilMs);
  if (window.daily) {
    const dayStart = Math.floor(timeMs / DAY_MS) * DAY_MS;
    for (const day of [dayStart - DAY_MS, dayStart, dayStart + DAY_MS]) {
      consider(day + window.daily.startSec * 1000);
      consider(day + window.daily.endSec * 1000);
    }
    holds &&= holds_(window.daily, timeMs);
  }
  return { holds, from, until };
}

function holds_(daily: { startSec: number; endSec: number }, timeMs: number): boolean {
  return holds({ type: 'time_of_day', startSec: daily.startSec, endSec: daily.endSec }, timeMs);
}
