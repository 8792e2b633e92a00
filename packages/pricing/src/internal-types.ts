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

/** When an override applies: from (inclusive) until (exclusive), and within a daily window. */
export interface OverrideWindow {
  fromMs?: number;
  untilMs?: number;
  /** Seconds after UTC midnight; `endSec < startSec` wraps past midnight. */
  daily?: { startSec: number; endSec: number };
}

/** An override that prices only inside its window; outside it the next layer prices. */
export interface WindowedLayer {
  identity: ResolvedIdentity;
  compiled: CompiledPrices;
  window: OverrideWindow;
}

/** The prices and identity in force at one time, cached on the entry until its window passes. */
export interface Selection {
  compiled: CompiledPrices;
  identity: ResolvedIdentity;
}

/** What a (provider, model, service tier) resolves to, cached. */
export interface ResolvedEntry {
  /**
   * Set when the base layer cannot price: the shared result returned for every such call (at
   * every time, unless a windowed override holds then).
   */
  unpriced?: PriceResult;
  /** Identity of the base layer (an override without a window, or the catalog). */
  identity?: ResolvedIdentity;
  /** The base layer's prices, one variant per catalog constraint. */
  variants: PriceVariant[];
  /** Overrides with a time window, tried in order before the base layer. */
  windowed?: WindowedLayer[];
  /** The catalog model's context window, for estimates without `max_tokens`. */
  contextWindow?: number;
  /** The selection in force over [windowFrom, windowUntil); undefined there when nothing prices. */
  current?: Selection;
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
  window?: OverrideWindow;
}
