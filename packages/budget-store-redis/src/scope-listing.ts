import type { RedisLink } from './redis-link';
import { fromNano } from './shared-scope';

/** One scope as `costtrace budget list` shows it. Money in USD. */
export interface ScopeListing {
  /** The scope's key: `{traceId}-{spanId}` for a span's budget, or a standing budget's key. */
  readonly key: string;
  /** The budget's name, when a process wrote one (its span's name). */
  readonly name: string | undefined;
  readonly limitUsd: number;
  /** Settled cost plus the running cost of calls in flight. */
  readonly spentUsd: number;
  /** What the live processes hold (their calls' reservations and spare lease). */
  readonly reservedUsd: number;
  /** The budget's window, when it has one. */
  readonly window: string | undefined;
  readonly stopped: boolean;
  /** Processes holding a lease now. */
  readonly holders: number;
}

const usd = (nano: string | undefined): number => Number(fromNano(nano ?? '0')) / 1e12;

/** Reads every scope under the prefix (expired leases reclaimed first), sorted by key. */
export async function listScopes(link: RedisLink, prefix: string, now: number): Promise<ScopeListing[]> {
  const marker = `${prefix}scope:`;
  const keys = (await link.scan(`${escapeGlob(marker)}*`)).sort();
  const out: ScopeListing[] = [];
  for (const hashKey of keys) {
    const key = hashKey.slice(marker.length);
    const flat = await link.peek([hashKey, `${prefix}leases:${key}`], now);
    const f = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) f.set(flat[i]!, flat[i + 1]!);
    let holders = 0;
    for (const [field, value] of f) if (field.startsWith('h:') && value !== '0') holders++;
    out.push({
      key,
      name: f.get('name'),
      limitUsd: usd(f.get('limit')),
      spentUsd: usd(f.get('settled')) + usd(f.get('run')),
      reservedUsd: usd(f.get('held')),
      window: f.get('window'),
      stopped: f.has('stopped'),
      holders,
    });
  }
  return out;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
