import type { AttributeValue, HrTime } from '@opentelemetry/api';
import { picoToUsd, usdToPico, type PriceCatalog, type PriceResult } from '@costtrace/pricing';
import {
  ATTR_COSTTRACE_CALL_OUTCOME,
  ATTR_COSTTRACE_COST_CACHE_READ_USD,
  ATTR_COSTTRACE_COST_CACHE_WRITE_USD,
  ATTR_COSTTRACE_COST_INPUT_USD,
  ATTR_COSTTRACE_COST_LOCAL_USD,
  ATTR_COSTTRACE_COST_OUTPUT_USD,
  ATTR_COSTTRACE_COST_REQUEST_USD,
  ATTR_COSTTRACE_PRICING_MODEL,
  ATTR_COSTTRACE_PRICING_PROVIDER,
  ATTR_COSTTRACE_PRICING_PROVIDER_COST_DIFF_USD,
  ATTR_COSTTRACE_PRICING_PROVIDER_COST_MISMATCH,
  ATTR_COSTTRACE_PRICING_REASON,
  ATTR_COSTTRACE_PRICING_SERVICE_TIER_UNPRICED,
  ATTR_COSTTRACE_PRICING_STATUS,
  ATTR_COSTTRACE_PRICING_VERSION,
  ATTR_COSTTRACE_PROVIDER_COST_USD,
  ATTR_COSTTRACE_USAGE_ESTIMATED,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
  CALL_OUTCOME_VALUE_BUDGET_ABORTED,
  CALL_OUTCOME_VALUE_CANCELLED,
  GEN_AI_USAGE_COST_CURRENCY_VALUE_USD,
  GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL,
  GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER,
  PRICING_STATUS_VALUE_ESTIMATED,
  PRICING_STATUS_VALUE_INVALID,
  PRICING_STATUS_VALUE_PRICED,
  PRICING_STATUS_VALUE_UNPRICED,
  readUsage,
  type AttributesLike,
  type TokenUsage,
} from '@costtrace/semconv';
import { readCallIdentity, type CallIdentity } from './call-identity';

/** Where leaf attributes go: the span while it is still writable (or, without `onEnding`, its attribute map). */
export interface AttributeSink {
  set(key: string, value: AttributeValue): void;
}

/** One call's price, as the rollup and the metrics need it. */
export interface CallCost {
  status: string;
  /** Priced or estimated: `pico`/`bigPico`/`usd` hold its cost. */
  costed: boolean;
  pico: number;
  bigPico: bigint;
  usd: number;
  /** Token counts when the usage is valid, else 0. */
  inputTokens: number;
  outputTokens: number;
  validTokens: boolean;
  identity: CallIdentity;
  /** The cost is the provider-reported one (`costtrace.provider.cost_usd`), not costtrace's price. */
  fromProvider: boolean;
  /** Why the local price is missing, partial or assumed (as written to `costtrace.pricing.reason`). */
  reason: string | undefined;
}

const MAX_SAFE_BIG = 9007199254740991n;

/**
 * Prices a model call from its span's usage and writes the leaf cost attributes.
 *
 * Model order: the response model (what was billed) first; when the catalog does not know it and
 * the request model differs, the request model. Dated ids resolve either way: the catalog matches
 * a snapshot id to its family when it has no entry of its own.
 *
 * `fallback` is a nested duplicate's attributes, read when the span has no usage of its own.
 *
 * A cost the provider reported (`costtrace.provider.cost_usd`) is what was billed: it becomes the
 * call's cost (`gen_ai.usage.cost.amount`, source `provider`), the figure rolled up and charged to
 * budgets; the local price stays beside it (`costtrace.cost.local_usd` and the `costtrace.cost.*`
 * parts) with the difference and a mismatch flag past the tolerance.
 */
export function priceCall(
  attributes: AttributesLike,
  startTime: HrTime,
  catalog: PriceCatalog,
  sink: AttributeSink,
  fallback: AttributesLike | undefined,
): CallCost {
  const reported = providerCost(attributes, fallback);
  const cost = pricedLocally(attributes, startTime, catalog, sink, fallback);
  if (reported !== undefined) applyProviderCost(cost, reported, sink);
  return cost;
}

function pricedLocally(
  attributes: AttributesLike,
  startTime: HrTime,
  catalog: PriceCatalog,
  sink: AttributeSink,
  fallback: AttributesLike | undefined,
): CallCost {
  let usage = readUsage(attributes);
  let identity = readCallIdentity(attributes);
  let estimatedFlag = attributes[ATTR_COSTTRACE_USAGE_ESTIMATED] === true;
  if (usage === undefined && fallback !== undefined) {
    usage = readUsage(fallback);
    if (usage !== undefined) {
      const inner = readCallIdentity(fallback);
      identity = {
        provider: identity.provider ?? inner.provider,
        responseModel: identity.responseModel ?? inner.responseModel,
        requestModel: identity.requestModel ?? inner.requestModel,
        serviceTier: identity.serviceTier ?? inner.serviceTier,
      };
      estimatedFlag ||= fallback[ATTR_COSTTRACE_USAGE_ESTIMATED] === true;
    }
  }

  const cost: CallCost = {
    status: PRICING_STATUS_VALUE_UNPRICED,
    fromProvider: false,
    reason: undefined,
    costed: false,
    pico: 0,
    bigPico: 0n,
    usd: 0,
    inputTokens: 0,
    outputTokens: 0,
    validTokens: false,
    identity,
  };
  if (usage === undefined) return unpriced(cost, sink, undefined, 'the span carries no token usage');
  countTokens(cost, usage);
  const model = identity.responseModel ?? identity.requestModel;
  if (model === undefined) return unpriced(cost, sink, undefined, 'the span names no model');

  const time = startTime[0] * 1000 + startTime[1] / 1e6;
  let result = catalog.price({ provider: identity.provider, model, usage, time, serviceTier: identity.serviceTier });
  const requestModel = identity.requestModel;
  if (result.status === 'unpriced' && requestModel !== undefined && requestModel !== model) {
    const second = catalog.price({ provider: identity.provider, model: requestModel, usage, time, serviceTier: identity.serviceTier });
    if (second.status !== 'unpriced') result = second;
  }

  if (result.status === 'invalid') {
    cost.status = PRICING_STATUS_VALUE_INVALID;
    cost.validTokens = false;
    cost.inputTokens = 0;
    cost.outputTokens = 0;
    sink.set(ATTR_COSTTRACE_PRICING_STATUS, PRICING_STATUS_VALUE_INVALID);
    sink.set(ATTR_COSTTRACE_PRICING_VERSION, result.priceVersion);
    if (result.reason !== undefined) sink.set(ATTR_COSTTRACE_PRICING_REASON, result.reason);
    cost.reason = result.reason;
    return cost;
  }
  if (result.status !== 'priced' || result.totalPico === undefined || result.breakdown === undefined) {
    return unpriced(cost, sink, result, result.reason ?? 'the price catalog has no price for this call');
  }

  const outcome = attributes[ATTR_COSTTRACE_CALL_OUTCOME];
  const estimatedReason = estimatedFlag
    ? "token counts are the instrumentation's estimate, not the provider's"
    : outcome === CALL_OUTCOME_VALUE_CANCELLED
      ? 'the call was cancelled; usage is what had arrived'
      : outcome === CALL_OUTCOME_VALUE_BUDGET_ABORTED
        ? 'a budget aborted the call; usage is what had arrived'
        : undefined;
  cost.status = estimatedReason === undefined ? PRICING_STATUS_VALUE_PRICED : PRICING_STATUS_VALUE_ESTIMATED;
  cost.costed = true;
  const total = result.totalPico;
  if (total <= MAX_SAFE_BIG && total >= 0n) cost.pico = Number(total);
  else cost.bigPico = total;
  cost.usd = result.totalUsd ?? 0;

  const b = result.breakdown;
  sink.set(ATTR_GEN_AI_USAGE_COST_AMOUNT, cost.usd);
  sink.set(ATTR_GEN_AI_USAGE_COST_CURRENCY, GEN_AI_USAGE_COST_CURRENCY_VALUE_USD);
  sink.set(ATTR_GEN_AI_USAGE_COST_SOURCE, GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL);
  sink.set(ATTR_COSTTRACE_COST_INPUT_USD, usd(b.inputPico));
  sink.set(ATTR_COSTTRACE_COST_OUTPUT_USD, usd(b.outputPico));
  sink.set(ATTR_COSTTRACE_COST_CACHE_READ_USD, usd(b.cacheReadPico));
  sink.set(ATTR_COSTTRACE_COST_CACHE_WRITE_USD, usd(b.cacheWritePico));
  if (b.requestPico !== 0n) sink.set(ATTR_COSTTRACE_COST_REQUEST_USD, usd(b.requestPico));
  sink.set(ATTR_COSTTRACE_PRICING_STATUS, cost.status);
  if (result.catalogModel !== undefined) sink.set(ATTR_COSTTRACE_PRICING_MODEL, result.catalogModel);
  if (result.catalogProvider !== undefined) sink.set(ATTR_COSTTRACE_PRICING_PROVIDER, result.catalogProvider);
  sink.set(ATTR_COSTTRACE_PRICING_VERSION, result.priceVersion);
  if (result.serviceTierPriced === false) sink.set(ATTR_COSTTRACE_PRICING_SERVICE_TIER_UNPRICED, true);
  const reason = estimatedReason ?? result.reason;
  if (reason !== undefined) sink.set(ATTR_COSTTRACE_PRICING_REASON, reason);
  cost.reason = reason;
  return cost;
}

/** The provider-reported cost (the span's, else its nested duplicate's) in pico-USD, if a usable one. */
function providerCost(attributes: AttributesLike, fallback: AttributesLike | undefined): { usd: number; pico: bigint } | undefined {
  for (const a of fallback === undefined ? [attributes] : [attributes, fallback]) {
    const usd = a[ATTR_COSTTRACE_PROVIDER_COST_USD];
    const pico = typeof usd === 'number' ? usdToPico(usd) : undefined;
    if (pico !== undefined) return { usd: usd as number, pico };
  }
  return undefined;
}

/** Differences up to this share of the larger figure (1%), or up to $0.000001, are rounding. */
const MISMATCH_PERCENT = 1n;
const MISMATCH_FLOOR_PICO = 1_000_000n;

/**
 * Makes the provider-reported cost the call's cost: it is what the provider billed. The local
 * price, when there is one, stays in `costtrace.cost.local_usd` and the `costtrace.cost.*` parts.
 */
function applyProviderCost(cost: CallCost, reported: { usd: number; pico: bigint }, sink: AttributeSink): void {
  const local = cost.costed ? costPicoOf(cost) : undefined;
  if (local !== undefined) {
    sink.set(ATTR_COSTTRACE_COST_LOCAL_USD, cost.usd);
    const diff = reported.pico - local;
    const abs = diff < 0n ? -diff : diff;
    const larger = reported.pico > local ? reported.pico : local;
    sink.set(ATTR_COSTTRACE_PRICING_PROVIDER_COST_DIFF_USD, usd(diff));
    sink.set(ATTR_COSTTRACE_PRICING_PROVIDER_COST_MISMATCH, abs > MISMATCH_FLOOR_PICO && abs * 100n > larger * MISMATCH_PERCENT);
  } else {
    // No local price (a model the catalog lacks, usage the span does not carry): the provider's
    // figure is the only one, so the call is priced, and the reason says why there is no other.
    sink.set(ATTR_COSTTRACE_PRICING_REASON, `priced from the provider-reported cost; no local price: ${cost.reason ?? cost.status}`);
  }
  cost.status = PRICING_STATUS_VALUE_PRICED;
  cost.costed = true;
  cost.fromProvider = true;
  cost.pico = 0;
  cost.bigPico = 0n;
  if (reported.pico <= MAX_SAFE_BIG) cost.pico = Number(reported.pico);
  else cost.bigPico = reported.pico;
  cost.usd = reported.usd;
  sink.set(ATTR_GEN_AI_USAGE_COST_AMOUNT, reported.usd);
  sink.set(ATTR_GEN_AI_USAGE_COST_CURRENCY, GEN_AI_USAGE_COST_CURRENCY_VALUE_USD);
  sink.set(ATTR_GEN_AI_USAGE_COST_SOURCE, GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER);
  sink.set(ATTR_COSTTRACE_PRICING_STATUS, PRICING_STATUS_VALUE_PRICED);
}

function costPicoOf(cost: CallCost): bigint {
  return cost.bigPico !== 0n ? cost.bigPico : BigInt(cost.pico);
}

function unpriced(cost: CallCost, sink: AttributeSink, result: PriceResult | undefined, reason: string): CallCost {
  cost.status = PRICING_STATUS_VALUE_UNPRICED;
  cost.reason = reason;
  sink.set(ATTR_COSTTRACE_PRICING_STATUS, PRICING_STATUS_VALUE_UNPRICED);
  if (result !== undefined) sink.set(ATTR_COSTTRACE_PRICING_VERSION, result.priceVersion);
  sink.set(ATTR_COSTTRACE_PRICING_REASON, reason);
  return cost;
}

function countTokens(cost: CallCost, usage: TokenUsage): void {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  if (Number.isSafeInteger(input) && input >= 0 && Number.isSafeInteger(output) && output >= 0) {
    cost.inputTokens = input;
    cost.outputTokens = output;
    cost.validTokens = true;
  }
}

function usd(pico: bigint): number {
  return pico <= MAX_SAFE_BIG && pico >= 0n ? Number(pico) / 1e12 : picoToUsd(pico);
}
