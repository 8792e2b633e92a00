const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `2026-11-01`, `2026-11-01T09:00:00Z`, `now`, or a span back from `now`: `30m`, `24h`, `7d`, `2w`. */
export function parseTime(text: string, now: Date, flag: string): Date {
  const t = text.trim();
  if (t === 'now') return now;
  const rel = /^(\d+)([smhdw])$/.exec(t);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * UNITS[rel[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const d = new Date(t);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new Error(`${flag}: not a time: "${text}" (use 2026-11-01, 2026-11-01T09:00:00Z, now, or 30m/24h/7d/2w ago)`);
}
