import {
  SLOT_CACHE_READ,
  SLOT_CACHE_WRITE_1H,
  SLOT_CACHE_WRITE_5M,
  SLOT_INPUT,
  SLOT_INPUT_AUDIO,
  SLOT_OUTPUT,
  SLOT_OUTPUT_AUDIO,
  SLOT_REASONING,
  SLOT_REQUEST,
} from './compile-prices';
import { pow10 } from './decimal';
import { picoToUsd } from './pico';
import type { CompiledPrices, RateLevel } from './internal-types';
import type { CostBreakdown } from './types';

/** Usage that passed validation, with cache writes split by lifetime. */
export interface CheckedUsage {
  input: number;
  output: number;
  cacheRead: number;
  /** Cache writes billed at the 5-minute rate (5-minute and unknown lifetime). */
  write5m: number;
  write1h: number;
  inputAudio: number;
  outputAudio: number;
  reasoning: number;
}

export interface ComputedCost {
  totalPico: bigint;
  breakdown: CostBreakdown;
  /** The exact total as a USD double. */
  totalUsd: number;
  /** The long-context threshold crossed, if any. */
  thresholdTokens?: number;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Prices checked usage with compiled rates. The tier is chosen by all input tokens, as genai-prices'
 * `calcPrice` does, and then applies to every part (input, cache, output). Amounts are exact integers
 * in 10^-scaleExp pico-USD; the total is rounded once, half up, to pico-USD.
 */
export function computeCost(prices: CompiledPrices, usage: CheckedUsage): ComputedCost {
  const levels = prices.levels;
  const level = levels.length === 1 ? (levels[0] as RateLevel) : selectLevel(levels, usage.input);
  const uncached = usage.input - usage.cacheRead - usage.write5m - usage.write1h;
  const audioIn = usage.inputAudio < uncached ? usage.inputAudio : uncached;
  const textIn = uncached - audioIn;
  const outputLeft = usage.output - usage.reasoning;
  const audioOut = usage.outputAudio < outputLeft ? usage.outputAudio : outputLeft;
  const textOut = usage.output - usage.reasoning - audioOut;
  const thresholdTokens = level.thresholdTokens >= 0 ? level.thresholdTokens : undefined;

  if (prices.fast) {
    const r = level.n;
    const inputPico = textIn * (r[SLOT_INPUT] as number) + audioIn * (r[SLOT_INPUT_AUDIO] as number);
    const cacheReadPico = usage.cacheRead * (r[SLOT_CACHE_READ] as number);
    const cacheWritePico =
      usage.write5m * (r[SLOT_CACHE_WRITE_5M] as number) + usage.write1h * (r[SLOT_CACHE_WRITE_1H] as number);
    const outputPico =
      textOut * (r[SLOT_OUTPUT] as number) +
      usage.reasoning * (r[SLOT_REASONING] as number) +
      audioOut * (r[SLOT_OUTPUT_AUDIO] as number);
    const requestPico = r[SLOT_REQUEST] as number;
    const total = inputPico + cacheReadPico + cacheWritePico + outputPico + requestPico;
    // Every term is a non-negative integer product: if the float total is a safe integer, no term
    // or partial sum was ever rounded, so all of them are exact.
    if (total <= MAX_SAFE) {
      return {
        totalPico: BigInt(total),
        breakdown: {
          inputPico: BigInt(inputPico),
          outputPico: BigInt(outputPico),
          cacheReadPico: BigInt(cacheReadPico),
          cacheWritePico: BigInt(cacheWritePico),
          requestPico: BigInt(requestPico),
        },
        totalUsd: total / 1e12,
        thresholdTokens,
      };
    }
  }

  const r = level.b;
  const big = (n: number) => BigInt(n);
  const parts = [
    big(textIn) * (r[SLOT_INPUT] as bigint) + big(audioIn) * (r[SLOT_INPUT_AUDIO] as bigint),
    big(textOut) * (r[SLOT_OUTPUT] as bigint) +
      big(usage.reasoning) * (r[SLOT_REASONING] as bigint) +
      big(audioOut) * (r[SLOT_OUTPUT_AUDIO] as bigint),
    big(usage.cacheRead) * (r[SLOT_CACHE_READ] as bigint),
    big(usage.write5m) * (r[SLOT_CACHE_WRITE_5M] as bigint) + big(usage.write1h) * (r[SLOT_CACHE_WRITE_1H] as bigint),
    r[SLOT_REQUEST] as bigint,
  ];
  const rounded = roundParts(parts, prices.scaleExp);
  const totalPico = rounded.total;
  return {
    totalPico,
    breakdown: {
      inputPico: rounded.parts[0] as bigint,
      outputPico: rounded.parts[1] as bigint,
      cacheReadPico: rounded.parts[2] as bigint,
      cacheWritePico: rounded.parts[3] as bigint,
      requestPico: rounded.parts[4] as bigint,
    },
    totalUsd: picoToUsd(totalPico),
    thresholdTokens,
  };
}

/** The price level that applies to a call with `inputTokens` of input (all of it). */
export function selectLevel(levels: RateLevel[], inputTokens: number): RateLevel {
  for (let i = levels.length - 1; i > 0; i--) {
    const level = levels[i] as RateLevel;
    if (inputTokens > level.thresholdTokens) return level;
  }
  return levels[0] as RateLevel;
}

/**
 * Rounds the exact total once (half up) to pico-USD, then splits it over the parts by largest
 * remainder, so the parts always sum to the total.
 */
function roundParts(parts: bigint[], scaleExp: number): { total: bigint; parts: bigint[] } {
  const exact = parts.reduce((sum, part) => sum + part, 0n);
  if (scaleExp === 0) return { total: exact, parts };
  const unit = pow10(scaleExp);
  let total = exact / unit;
  if ((exact % unit) * 2n >= unit) total += 1n;
  const floors = parts.map((part) => part / unit);
  let missing = total - floors.reduce((sum, part) => sum + part, 0n);
  const order = parts
    .map((part, index) => ({ index, remainder: part % unit }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (missing <= 0n) break;
    floors[index] = (floors[index] as bigint) + 1n;
    missing -= 1n;
  }
  return { total, parts: floors };
}
