import { picoToUsd } from '@costtrace/pricing';
import type { CostPerRun } from './types';

/**
 * P50/P95/P99, max and mean of run costs, by the nearest-rank method: the p-th percentile is the
 * smallest run cost such that at least p% of runs cost as much or less (always a real run's cost).
 */
export function costPerRun(runCostsPico: readonly bigint[]): CostPerRun {
  const sorted = [...runCostsPico].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = sorted.length;
  if (n === 0) return { runs: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const rank = (p: number) => sorted[Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1]!;
  const total = sorted.reduce((s, v) => s + v, 0n);
  return {
    runs: n,
    p50: picoToUsd(rank(50)),
    p95: picoToUsd(rank(95)),
    p99: picoToUsd(rank(99)),
    max: picoToUsd(sorted[n - 1]!),
    mean: picoToUsd(total / BigInt(n)),
  };
}
