import type { PriceResult } from './types';

/**
 * Rates of one price level, indexed by the `SLOT_*` constants of `compile-prices.ts`, in integer
 * units of 10^-scaleExp pico-USD per token (per request for the request slot).
 */
export interface RateLevel {
  /** The level applies when all input is above this many tokens; -1 for the base level. */
  thresholdTokens: number;
  /** Rates as numbers; used only when the compiled prices are `fast`. */
  n: number[];
  /** The same rates as BigInt. */
  b: bigint[];
}

/** A price table compiled for integer arithmetic. */
export interface CompiledPrices {
  /** Rates are in units of 10^-scaleExp pico-USD; 0 for every price with at most 6 decimals per MTok. */
  scaleExp: number;
  /** `scaleExp === 0` and every rate a safe integer: the number path may be tried. */
  fast: boolean;
  /** Price levels, ascending by threshold; the first is the base level. */
  levels: RateLevel[];
  /** The 1-hour cache-write rate was derived (2× input) because the catalog lacks it. */
  derived1h: boolean;
}

/** A time constraint on a price, normalised. */
export type PriceConstraint =
  | { type: 'start_date'; atMs: number }
  | { type: 'time_of_day'; startSec: number; endSec: number };

/** One of a model's prices and when it applies (no constraint: always, as the fallback). */
export interface PriceVariant {
  constraint?: PriceConstraint;
  compiled: CompiledPrices;
}

/** The fields every result of one resolution shares. */
export interface ResolvedIdentity {
  catalogModel: string;
  catalogProvider?: string;
  priceVersion: string;
  serviceTier?: string;
  serviceTierPriced?: boolean;
  reason?: string;
  notes?: string[];
}

/** What a (provider, model, service tier) resolves to, cached. */
export interface ResolvedEntry {
  /** Set when it cannot be priced: the shared result returned for every such call. */
  unpriced?: PriceResult;
  identity?: ResolvedIdentity;
  variants: PriceVariant[];
  /** The catalog model's context window, for estimates without `max_tokens`. */
  contextWindow?: number;
  /** The variant in force over [windowFrom, windowUntil). */
  current?: CompiledPrices;
  windowFrom: number;
  windowUntil: number;
}

/** A validated, normalised override. */
export interface NormalizedOverride {
  id: string;
  providerId?: string;
  matches: (modelId: string) => boolean;
  serviceTier?: string;
  compiled: CompiledPrices;
}
