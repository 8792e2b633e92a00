import type { AttributeValue, Attributes, HrTime, MeterProvider, SpanContext } from '@opentelemetry/api';
import type { PriceCatalog } from '@costtrace/pricing';

/** Options of {@link CostSpanProcessor}. Each falls back to its environment variable, then to its default. */
export interface CostSpanProcessorOptions {
  /**
   * The price catalog. Resolutions are cached per (provider, model, service tier) and per price
   * validity window, so a span costs one map lookup, not a catalog walk.
   * @default getDefaultCatalog() from @costtrace/pricing (bundled prices plus env `COSTTRACE_PRICES_FILE`)
   */
  catalog?: PriceCatalog;
  /**
   * Where the cost metrics go.
   * @default the global MeterProvider (`metrics.getMeterProvider()`), looked up again when it
   * changes, so a provider registered after this processor is built (as `NodeSDK.start()` does) counts
   */
  meterProvider?: MeterProvider;
  /**
   * Baggage entries copied onto inference spans under their own names (a tenant id, a user id).
   * @default env `COSTTRACE_BAGGAGE_KEYS` (comma-separated), else none
   */
  baggageKeys?: string[];
  /**
   * A trace whose spans neither start nor end for this long is dropped (a span that never ends),
   * with one warning; its state is dropped between one and two TTLs after its last activity.
   * @default env `COSTTRACE_STATE_TTL_MS`, else 3_600_000 (one hour)
   */
  stateTtlMs?: number;
  /**
   * Most spans held at once, over all traces. Past it the oldest trace is dropped (one warning,
   * counted on `costtrace.spans.dropped_state`); calls are still priced and counted in metrics.
   * @default env `COSTTRACE_MAX_TRACKED_SPANS`, else 100_000
   */
  maxTrackedSpans?: number;
}

/**
 * The span this processor is handed in `onStart` and `onEnding`: the part of the OpenTelemetry
 * SDK's `Span` (`@opentelemetry/sdk-trace` 2.x and 3.x, `sdk-trace-base` from 2.0) it uses,
 * written out so this package needs no SDK at run time.
 */
export interface CostSpan {
  readonly name: string;
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly ended: boolean;
  /** Attributes the SDK dropped at its attribute count limit (the SDK's ReadableSpan has it). */
  readonly droppedAttributesCount?: number;
  spanContext(): SpanContext;
  setAttribute(key: string, value: AttributeValue): unknown;
}

/** The ended span of `onEnd` (the SDK's `ReadableSpan`), as far as this processor reads it. */
export interface CostReadableSpan {
  readonly name: string;
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly ended: boolean;
  spanContext(): SpanContext;
}
