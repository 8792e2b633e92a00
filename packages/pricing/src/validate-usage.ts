import type { CheckedUsage } from './compute-cost';
import type { TokenUsage } from './types';

const COUNT_FIELDS = [
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'reasoningTokens',
  'inputAudioTokens',
  'outputAudioTokens',
] as const;

/** A count that is present and not a non-negative safe integer. */
function isBad(value: unknown): boolean {
  return value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}

/**
 * Checks usage and splits cache writes by lifetime. Returns the reason when the usage cannot be right:
 * a count that is not a non-negative safe integer, no input count, or a part larger than its whole.
 * A missing output count is 0 (embeddings report none).
 */
export function checkUsage(usage: TokenUsage | undefined): CheckedUsage | string {
  if (typeof usage !== 'object' || usage === null) return 'usage is missing';
  // Unrolled: this runs on every call, and the message is built only for a bad count.
  if (
    isBad(usage.inputTokens) ||
    isBad(usage.outputTokens) ||
    isBad(usage.cacheReadTokens) ||
    isBad(usage.cacheWriteTokens) ||
    isBad(usage.cacheWrite5mTokens) ||
    isBad(usage.cacheWrite1hTokens) ||
    isBad(usage.reasoningTokens) ||
    isBad(usage.inputAudioTokens) ||
    isBad(usage.outputAudioTokens)
  ) {
    const field = COUNT_FIELDS.find((name) => isBad(usage[name])) as (typeof COUNT_FIELDS)[number];
    return `usage.${field} must be a non-negative integer, got ${describe(usage[field])}`;
  }
  const input = usage.inputTokens;
  if (input === undefined) return 'usage.inputTokens is missing';
  const output = usage.outputTokens ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const write5mReported = usage.cacheWrite5mTokens ?? 0;
  const write1h = usage.cacheWrite1hTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? write5mReported + write1h;
  if (write5mReported + write1h > cacheWrite) {
    return `usage.cacheWrite5mTokens + cacheWrite1hTokens (${write5mReported + write1h}) exceed cacheWriteTokens (${cacheWrite})`;
  }
  if (cacheRead + cacheWrite > input) {
    return `cache reads + cache writes (${cacheRead} + ${cacheWrite}) exceed inputTokens (${input}); inputTokens must count all input, cached included`;
  }
  const reasoning = usage.reasoningTokens ?? 0;
  if (reasoning > output) return `usage.reasoningTokens (${reasoning}) exceed outputTokens (${output})`;
  const inputAudio = usage.inputAudioTokens ?? 0;
  if (inputAudio > input) return `usage.inputAudioTokens (${inputAudio}) exceed inputTokens (${input})`;
  const outputAudio = usage.outputAudioTokens ?? 0;
  if (outputAudio > output) return `usage.outputAudioTokens (${outputAudio}) exceed outputTokens (${output})`;
  return {
    input,
    output,
    cacheRead,
    // A write of unknown lifetime is billed at the 5-minute rate, Anthropic's default TTL.
    write5m: cacheWrite - write1h,
    write1h,
    inputAudio,
    outputAudio,
    reasoning,
  };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}
