import type { TokenUsage } from '@costtrace/semconv';
import type { Provider } from '@pydantic/genai-prices';

export type { TokenUsage };

/** How a call's price came out. Callers must read this before using any amount. */
export type PriceStatus = 'priced' | 'unpriced' | 'invalid';

/**
 * One model call to price.
 *
 * `provider` is an OpenTelemetry `gen_ai.provider.name` (`openai`, `anthropic`, `gcp.vertex_ai`,
 * `aws.bedrock`, …) or a genai-prices provider id (`x-ai`, `together`, …). When it is absent the
 * provider is inferred from the model id (`claude-…` → anthropic, `gpt-…` → openai).
 */
export interface PricedCall {
  /** Model id as sent or as answered (`gpt-4o-mini-2024-07-18`, `anthropic/claude-opus-4-7`, `models/gemini-2.5-pro`). */
  model: string;
  /** Token usage of the call; `inputTokens` is all input, cache reads and writes included. */
  usage: TokenUsage;
  /**
   * Provider name (OTel `gen_ai.provider.name` or genai-prices provider id).
   * @default inferred from the model id
   */
  provider?: string;
  /**
   * When the call was made (a `Date` or epoch milliseconds): prices that change by date or time of
   * day are chosen for this instant.
   * @default Date.now()
   */
  time?: Date | number;
  /**
   * Service tier the provider answered with (`default`, `standard`, `auto`, `batch`, `flex`,
   * `priority`, …). Anything other than the standard tier is priced only where a price exists for it.
   * @default the standard tier
   */
  serviceTier?: string;
}

/** What a call cost, part by part, in integer pico-USD (1e-12 USD). The parts sum to the total. */
export interface CostBreakdown {
  /** Input billed at the base (and audio) input rate: input − cache read − cache write. */
  inputPico: bigint;
  /** All output, reasoning and audio included. */
  outputPico: bigint;
  /** Input read from the prompt cache. */
  cacheReadPico: bigint;
  /** Input written to the prompt cache, 5-minute and 1-hour lifetimes together. */
  cacheWritePico: bigint;
  /** Per-request fees (e.g. Perplexity's `requests_kcount`). */
  requestPico: bigint;
}

/** The price of one call. Amounts are present only when `status` is `priced`. */
export interface PriceResult {
  status: PriceStatus;
  /** Exact cost in integer pico-USD (1e-12 USD), rounded once. Absent unless `priced`. */
  totalPico?: bigint;
  /** The cost by part. Absent unless `priced`. */
  breakdown?: CostBreakdown;
  /** `totalPico` as a USD double, for attributes and display. Absent unless `priced`. */
  totalUsd?: number;
  /** Id of the catalog model (or override) that matched. */
  catalogModel?: string;
  /** Id of the genai-prices provider that matched. */
  catalogProvider?: string;
  /** Version of the price data: `genai-prices@0.1.8`, or `override:<id>` when an override priced it. */
  priceVersion: string;
  /** Why the call is `unpriced` or `invalid`, or what was assumed while pricing it. */
  reason?: string;
  /** The service tier asked about (absent for the standard tier). */
  serviceTier?: string;
  /**
   * Whether the service tier's own rates were used. `false` means the call was priced at the
   * standard rates because neither the catalog nor an override has rates for that tier; `reason` says so.
   */
  serviceTierPriced?: boolean;
  /** Set when a long-context tier applied: input was above `thresholdTokens`, so every priced part used the tier's rates. */
  tierApplied?: { thresholdTokens: number };
  /** Assumptions made while pricing (a date suffix dropped to match, a derived 1-hour cache-write rate, …). */
  notes?: string[];
}

/** A worst-case cost of a call before it is sent. */
export interface CostEstimateRequest {
  /** Model id the call will be sent to. */
  model: string;
  /** Estimated input tokens (all of them, cache writes included). Over-estimate for a safe bound. */
  inputTokens: number;
  /**
   * The request's `max_tokens` / `max_completion_tokens` / `max_output_tokens`, per choice.
   * @default the catalog model's context window minus `inputTokens`; `invalid` where the catalog has no context window
   */
  maxOutputTokens?: number;
  /**
   * Provider name (OTel `gen_ai.provider.name` or genai-prices provider id).
   * @default inferred from the model id
   */
  provider?: string;
  /**
   * Number of choices (`n`): output is bounded by `maxOutputTokens × n`; input is billed once.
   * @default 1
   */
  n?: number;
  /**
   * Input tokens expected to be written to the prompt cache with an unspecified or 5-minute lifetime (part of `inputTokens`).
   * @default 0
   */
  cacheWriteTokens?: number;
  /**
   * Input tokens expected to be written to the prompt cache with a 1-hour lifetime (part of `inputTokens`).
   * @default 0
   */
  cacheWrite1hTokens?: number;
  /**
   * Service tier the call asks for.
   * @default the standard tier
   */
  serviceTier?: string;
  /**
   * When the call will be made.
   * @default Date.now()
   */
  time?: Date | number;
}

/** The worst-case cost of a call: a {@link PriceResult} of the bounding usage. */
export interface CostEstimate extends PriceResult {
  /** The output tokens assumed (`maxOutputTokens × n`, or the context window's room). */
  outputTokensAssumed?: number;
  /** Where the output bound came from. */
  outputBound?: 'max_tokens' | 'context_window';
}

/** How an override names the models it prices. Strings compare case-insensitively. */
export type ModelPattern =
  | string
  | { equals: string }
  | { startsWith: string }
  | { endsWith: string }
  | { contains: string }
  | { regex: string };

/** USD rates of an override. Token rates are per million tokens. */
export interface OverridePrices {
  /** USD per million input tokens billed at the base rate. */
  inputPerMTok: number;
  /** USD per million output tokens (reasoning included unless `reasoningPerMTok` is set). */
  outputPerMTok: number;
  /**
   * USD per million input tokens read from cache.
   * @default `inputPerMTok` (cache reads cost as much as other input)
   */
  cacheReadPerMTok?: number;
  /**
   * USD per million cache-write tokens whose lifetime is unknown or 5 minutes.
   * @default `cacheWrite5mPerMTok`, else `inputPerMTok`
   */
  cacheWritePerMTok?: number;
  /**
   * USD per million cache-write tokens with a 5-minute lifetime.
   * @default `cacheWritePerMTok`, else `inputPerMTok`
   */
  cacheWrite5mPerMTok?: number;
  /**
   * USD per million cache-write tokens with a 1-hour lifetime.
   * @default the 5-minute cache-write rate
   */
  cacheWrite1hPerMTok?: number;
  /**
   * USD per million audio input tokens.
   * @default `inputPerMTok`
   */
  inputAudioPerMTok?: number;
  /**
   * USD per million audio output tokens.
   * @default `outputPerMTok`
   */
  outputAudioPerMTok?: number;
  /**
   * USD per million reasoning tokens, where they are billed apart from other output.
   * @default `outputPerMTok`
   */
  reasoningPerMTok?: number;
  /**
   * USD per request, on top of token costs.
   * @default 0
   */
  perRequest?: number;
}

/** A user price for fine-tuned, self-hosted or negotiated models. Overrides win over the catalog. */
export interface PriceOverride {
  /** The models it prices: an exact id (case-insensitive) or a pattern. */
  model: ModelPattern;
  /** The rates. */
  prices: OverridePrices;
  /**
   * Provider it applies to (OTel name or genai-prices id; `gcp.vertex_ai` and `google` are the same).
   * @default every provider
   */
  provider?: string;
  /**
   * Service tier it applies to (`batch`, `flex`, `priority`, …).
   * @default the standard tier (and any tier that has no override of its own, flagged `serviceTierPriced: false`)
   */
  serviceTier?: string;
  /**
   * Label written to `priceVersion` as `override:<id>`.
   * @default the model id or pattern
   */
  id?: string;
  /**
   * Long-context tiers: once all input (cached included) is above `aboveInputTokens`, every part
   * of the call (input, cache, output) is billed at that tier's `prices` (Gemini 2.5 Pro and Claude
   * Sonnet 4.x above 200K input). The highest threshold below the input applies.
   * @default none: `prices` at every input size
   */
  longContext?: Array<{ aboveInputTokens: number; prices: OverridePrices }>;
  /**
   * The first instant the override applies (ISO 8601, `2026-03-01` or `2026-03-01T00:00:00Z`):
   * a price change. Before it, the next matching override or the catalog prices the call.
   * @default always
   */
  from?: string;
  /**
   * The instant the override stops applying (exclusive, ISO 8601).
   * @default never
   */
  until?: string;
  /**
   * A daily window the override applies in, e.g. off-peak hours: `{ "start": "16:30Z", "end": "00:30Z" }`
   * (`HH:MM` or `HH:MM:SS`, `Z` or `±HH:MM`, UTC when neither; an end before the start runs past
   * midnight). Outside it, the next matching override or the catalog prices the call.
   * @default all day
   */
  daily?: { start: string; end: string };
}

/** Options of a {@link PriceCatalog}. */
export interface PriceCatalogOptions {
  /**
   * Price overrides, checked in order before the overrides file and the catalog.
   * @default []
   */
  overrides?: PriceOverride[];
  /**
   * Path of a JSON file holding an array of {@link PriceOverride} (or `{ "overrides": [...] }`).
   * Read once, when the catalog is built. A bad file is reported through `onWarning` and ignored.
   * @default process.env.COSTTRACE_PRICES_FILE
   */
  overridesFile?: string;
  /**
   * Provider data to price from instead of the bundled genai-prices data (tests, pinned snapshots).
   * @default the data bundled in @pydantic/genai-prices 0.1.8
   */
  providers?: Provider[];
  /**
   * Version label written to `priceVersion` for catalog prices.
   * @default 'genai-prices@0.1.8' (or 'custom' when `providers` is given)
   */
  priceVersion?: string;
  /**
   * Called with a message when something is ignored (a bad override, an unreadable overrides file).
   * costtrace's other packages route it to OTel `diag.warn`.
   * @default ignore warnings
   */
  onWarning?: (message: string) => void;
  /**
   * Most (provider, model, service tier) resolutions kept; the oldest is dropped past it.
   * @default 10000
   */
  maxCacheEntries?: number;
}

/** Counters of a catalog's resolution cache. */
export interface PriceCacheStats {
  /** Resolutions held now. */
  entries: number;
  /** Times a (provider, model, service tier) was matched against overrides and catalog (cache misses). */
  modelResolutions: number;
  /** Times the price valid at a call's time was chosen anew (first use, or the validity window passed). */
  windowResolutions: number;
}

/** One call's prices, resolved once by `PriceCatalog.rates()`. */
export interface CallRates {
  /** Exact cost of `usage` in integer pico-USD, as `price()` gives it; undefined for usage that is not valid. */
  costPico(usage: TokenUsage): bigint | undefined;
}
