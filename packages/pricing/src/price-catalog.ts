import type { Provider } from '@pydantic/genai-prices';
import { BUNDLED_PRICE_VERSION, loadBundledProviders } from './bundled-catalog';
import { computeCost, selectLevel } from './compute-cost';
import { SLOT_INPUT, SLOT_INPUT_AUDIO, SLOT_OUTPUT, SLOT_OUTPUT_AUDIO, SLOT_REASONING } from './compile-prices';
import type { CheckedUsage, ComputedCost } from './compute-cost';
import type { NormalizedOverride, ResolvedEntry, ResolvedIdentity, Selection } from './internal-types';
import { MatchLogicEvaluator } from './match-logic';
import { normalizeOverrides, PRICES_FILE_ENV, readOverridesFile } from './overrides';
import { selectVariant, windowAt } from './price-windows';
import { normalizeServiceTier, resolveEntry } from './resolve-entry';
import type { ResolveContext } from './resolve-entry';
import type {
  CallRates,
  CostEstimate,
  CostEstimateRequest,
  PriceCacheStats,
  PriceCatalogOptions,
  PricedCall,
  PriceResult,
  TokenUsage,
} from './types';
import { checkUsage } from './validate-usage';

const DEFAULT_MAX_CACHE_ENTRIES = 10_000;

/**
 * Prices LLM calls exactly from @pydantic/genai-prices data and user overrides.
 *
 * The first call for a (provider, model, service tier) runs the catalog's match logic and compiles
 * its prices to integer rates; later calls reuse them until the price's validity window (a start date,
 * a daily off-peak window) passes. No method throws: bad input gives an `invalid` result, an unknown
 * model an `unpriced` one.
 */
export class PriceCatalog {
  private readonly _ctx: ResolveContext;
  private readonly _warn: (message: string) => void;
  private readonly _maxEntries: number;
  // provider → (model, or model + U+0001 + service tier) → resolution. Nested so a cached call hashes
  // the caller's own strings instead of building a key.
  private readonly _cache = new Map<string, Map<string, ResolvedEntry>>();
  private _cacheSize = 0;
  private _modelResolutions = 0;
  private _windowResolutions = 0;

  constructor(options: PriceCatalogOptions = {}) {
    const onWarning = options.onWarning;
    this._warn = (message) => {
      try {
        onWarning?.(message);
      } catch {
        // A throwing warning sink must not turn into a throw at our caller.
      }
    };
    const maxEntries = options.maxCacheEntries;
    this._maxEntries =
      typeof maxEntries === 'number' && Number.isSafeInteger(maxEntries) && maxEntries > 0
        ? maxEntries
        : DEFAULT_MAX_CACHE_ENTRIES;
    if (maxEntries !== undefined && this._maxEntries !== maxEntries) {
      this._warn(`PriceCatalog: maxCacheEntries must be a positive integer; using ${DEFAULT_MAX_CACHE_ENTRIES}`);
    }

    const overrides: NormalizedOverride[] = [];
    if (options.overrides !== undefined) {
      if (Array.isArray(options.overrides)) overrides.push(...normalizeOverrides(options.overrides, 'options', this._warn));
      else this._warn('PriceCatalog: overrides must be an array; ignored');
    }
    const file = options.overridesFile ?? process.env[PRICES_FILE_ENV];
    if (file) overrides.push(...readOverridesFile(file, this._warn));

    let providers: readonly Provider[] = [];
    try {
      providers = Array.isArray(options.providers) ? options.providers : loadBundledProviders();
    } catch (err) {
      this._warn(`PriceCatalog: could not load price data; only overrides will price: ${String(err)}`);
    }
    this._ctx = {
      providers,
      overrides,
      matcher: new MatchLogicEvaluator(),
      compiledCache: new WeakMap(),
      priceVersion: options.priceVersion ?? (options.providers ? 'custom' : BUNDLED_PRICE_VERSION),
    };
  }

  /** Prices one call. */
  price(call: PricedCall): PriceResult {
    try {
      if (typeof call !== 'object' || call === null) return this._invalid('call is missing');
      const usage = checkUsage(call.usage);
      if (typeof usage === 'string') return this._invalid(usage);
      const time = toTimeMs(call.time);
      if (time === undefined) return this._invalid('time is not a valid date');
      if (typeof call.model !== 'string') return this._invalid('model must be a string');
      const entry = this._entry(call.provider, call.model, call.serviceTier);
      const selected = this._pricesAt(entry, time);
      if (!selected) return entry.unpriced as PriceResult;
      return this._result(selected, computeCost(selected.compiled, usage), usage);
    } catch (err) {
      return this._internalError(err);
    }
  }

  /**
   * The worst-case cost of a call before it is sent: the input estimate, cache writes at their rate,
   * and `maxOutputTokens × n` output, at the long-context tier when the input estimate crosses its
   * threshold, with input and output each at their priciest modality (text, audio, reasoning).
   */
  estimateMaxCost(request: CostEstimateRequest): CostEstimate {
    try {
      if (typeof request !== 'object' || request === null) return this._invalid('request is missing');
      const { inputTokens, maxOutputTokens } = request;
      const n = request.n ?? 1;
      const write5m = request.cacheWriteTokens ?? 0;
      const write1h = request.cacheWrite1hTokens ?? 0;
      // Checked one by one, not through an array of pairs: this runs before every gated call.
      const bad =
        badCount(inputTokens) ? ['inputTokens', inputTokens]
        : badCount(maxOutputTokens ?? 0) ? ['maxOutputTokens', maxOutputTokens]
        : badCount(n) ? ['n', n]
        : badCount(write5m) ? ['cacheWriteTokens', write5m]
        : badCount(write1h) ? ['cacheWrite1hTokens', write1h]
        : undefined;
      if (bad !== undefined) return this._invalid(`${bad[0] as string} must be a non-negative integer, got ${String(bad[1])}`);
      if (n < 1) return this._invalid('n must be at least 1');
      if (write5m + write1h > inputTokens) {
        return this._invalid(`cache writes (${write5m + write1h}) exceed inputTokens (${inputTokens})`);
      }
      const time = toTimeMs(request.time);
      if (time === undefined) return this._invalid('time is not a valid date');
      if (typeof request.model !== 'string') return this._invalid('model must be a string');
      const entry = this._entry(request.provider, request.model, request.serviceTier);
      const selected = this._pricesAt(entry, time);
      if (!selected) return entry.unpriced as PriceResult;

      let perChoice = maxOutputTokens;
      let outputBound: CostEstimate['outputBound'] = 'max_tokens';
      if (perChoice === undefined) {
        if (!entry.contextWindow) {
          return this._invalid('maxOutputTokens is missing and the catalog has no context window to bound output');
        }
        perChoice = Math.max(0, entry.contextWindow - inputTokens);
        outputBound = 'context_window';
      }
      const output = perChoice * n;
      if (!Number.isSafeInteger(output)) return this._invalid('maxOutputTokens × n is too large');

      const prices = selected.compiled;
      // The parts are independent sums at one price level (chosen by all input), so the worst case
      // is each side at its priciest modality: one computeCost instead of trying every mix.
      const r = selectLevel(prices.levels, inputTokens).b;
      const rate = (slot: number): bigint => r[slot] as bigint;
      const outputSlot =
        rate(SLOT_REASONING) > rate(SLOT_OUTPUT) && rate(SLOT_REASONING) >= rate(SLOT_OUTPUT_AUDIO)
          ? SLOT_REASONING
          : rate(SLOT_OUTPUT_AUDIO) > rate(SLOT_OUTPUT)
            ? SLOT_OUTPUT_AUDIO
            : SLOT_OUTPUT;
      const worstUsage: CheckedUsage = {
        input: inputTokens,
        output,
        cacheRead: 0,
        write5m,
        write1h,
        inputAudio: rate(SLOT_INPUT_AUDIO) > rate(SLOT_INPUT) ? inputTokens - write5m - write1h : 0,
        outputAudio: outputSlot === SLOT_OUTPUT_AUDIO ? output : 0,
        reasoning: outputSlot === SLOT_REASONING ? output : 0,
      };
      const worst: ComputedCost = computeCost(prices, worstUsage);
      const estimate = this._result(selected, worst, worstUsage) as CostEstimate;
      estimate.outputTokensAssumed = output;
      estimate.outputBound = outputBound;
      return estimate;
    } catch (err) {
      return this._internalError(err);
    }
  }

  /**
   * The prices of one call, resolved once (model match, service tier, the validity window at
   * `time`, default now), for pricing its usage again and again as it streams: `costPico(usage)`
   * is what `price()` gives at that time, without resolving anything. Undefined when the model
   * has no price.
   */
  rates(provider: string | undefined, model: string, serviceTier?: string, time?: Date | number): CallRates | undefined {
    try {
      const at = toTimeMs(time);
      if (at === undefined || typeof model !== 'string') return undefined;
      const entry = this._entry(provider, model, serviceTier);
      const prices = this._pricesAt(entry, at)?.compiled;
      if (!prices) return undefined;
      return {
        costPico(usage: TokenUsage): bigint | undefined {
          const checked = checkUsage(usage);
          return typeof checked === 'string' ? undefined : computeCost(prices, checked).totalPico;
        },
      };
    } catch (err) {
      this._internalError(err);
      return undefined;
    }
  }

  /** Counters of the resolution cache, to see it working. */
  cacheStats(): PriceCacheStats {
    return {
      entries: this._cacheSize,
      modelResolutions: this._modelResolutions,
      windowResolutions: this._windowResolutions,
    };
  }

  private _entry(provider: string | undefined, model: string, serviceTier: string | undefined): ResolvedEntry {
    const providerName = typeof provider === 'string' ? provider : '';
    const tier = serviceTier === undefined ? undefined : normalizeServiceTier(serviceTier);
    const modelKey = tier === undefined ? model : `${model}\u0001${tier}`;
    let byModel = this._cache.get(providerName);
    let entry = byModel?.get(modelKey);
    if (entry === undefined) {
      this._modelResolutions += 1;
      entry = resolveEntry(this._ctx, providerName || undefined, model, tier);
      // Past the bound the cache starts over: re-resolving costs tens of microseconds per model, and a
      // process meets a bounded set of models in practice, so this only trims ids that come and go.
      if (this._cacheSize >= this._maxEntries) {
        this._cache.clear();
        this._cacheSize = 0;
        byModel = undefined;
      }
      if (byModel === undefined) {
        byModel = new Map();
        this._cache.set(providerName, byModel);
      }
      byModel.set(modelKey, entry);
      this._cacheSize += 1;
    }
    return entry;
  }

  /**
   * The prices in force at `time`: the first windowed override whose window holds, else the base
   * layer's variant for that time; undefined when nothing prices then. Cached until a boundary of
   * any window consulted passes.
   */
  private _pricesAt(entry: ResolvedEntry, time: number): Selection | undefined {
    if (time >= entry.windowFrom && time < entry.windowUntil) return entry.current;
    this._windowResolutions += 1;
    let from = -Infinity;
    let until = Infinity;
    let selected: Selection | undefined;
    for (const layer of entry.windowed ?? []) {
      const w = windowAt(layer.window, time);
      if (w.from > from) from = w.from;
      if (w.until < until) until = w.until;
      if (w.holds) {
        selected = { compiled: layer.compiled, identity: layer.identity };
        break;
      }
    }
    if (!selected && !entry.unpriced) {
      const chosen = selectVariant(entry.variants, time);
      if (chosen.from > from) from = chosen.from;
      if (chosen.until < until) until = chosen.until;
      selected = { compiled: chosen.variant.compiled, identity: entry.identity as ResolvedIdentity };
    }
    entry.current = selected;
    entry.windowFrom = from;
    entry.windowUntil = until;
    return selected;
  }

  private _result(selected: Selection, cost: ComputedCost, usage: CheckedUsage): PriceResult {
    const identity = selected.identity;
    // Fields assigned one by one, not spread: this runs on every priced call.
    const result: PriceResult = {
      status: 'priced',
      totalPico: cost.totalPico,
      breakdown: cost.breakdown,
      totalUsd: cost.totalUsd,
      catalogModel: identity.catalogModel,
      priceVersion: identity.priceVersion,
    };
    if (identity.catalogProvider !== undefined) result.catalogProvider = identity.catalogProvider;
    if (identity.serviceTier !== undefined) {
      result.serviceTier = identity.serviceTier;
      result.serviceTierPriced = identity.serviceTierPriced;
    }
    if (identity.reason !== undefined) result.reason = identity.reason;
    if (identity.notes !== undefined) result.notes = [...identity.notes];
    if (cost.thresholdTokens !== undefined) result.tierApplied = { thresholdTokens: cost.thresholdTokens };
    if (usage.write1h > 0 && selected.compiled.derived1h) {
      result.notes = [
        ...(identity.notes ?? []),
        "1-hour cache writes priced at 2x the input rate (Anthropic's documented multiplier): the catalog has no 1-hour rate for this model",
      ];
    }
    return result;
  }

  private _invalid(reason: string): PriceResult {
    return { status: 'invalid', priceVersion: this._ctx.priceVersion, reason };
  }

  private _internalError(err: unknown): PriceResult {
    const message = err instanceof Error ? err.message : String(err);
    this._warn(`PriceCatalog: could not price a call: ${message}`);
    return { status: 'unpriced', priceVersion: this._ctx.priceVersion, reason: `internal error: ${message}` };
  }
}

function toTimeMs(time: Date | number | undefined): number | undefined {
  if (time === undefined) return Date.now();
  const ms = time instanceof Date ? time.getTime() : time;
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
}

function badCount(value: unknown): boolean {
  return typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0;
}
