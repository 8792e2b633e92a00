import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';

// SamplingDecision values, identical in @opentelemetry/sdk-trace(-base) 2.x and 3.x;
// copied so this class works with whichever SDK copy the user's NodeSDK brings.
const NOT_RECORD = 0;
const RECORD = 1;

/** The sampler shape shared by `@opentelemetry/sdk-trace-base` 2.x and `@opentelemetry/sdk-trace` 3.x. */
export interface SamplerLike {
  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): { decision: number; attributes?: Attributes; traceState?: unknown };
  toString(): string;
}

/**
 * Wraps the user's sampler so that a span it drops is still recorded (span
 * processors see it: budgets and cost rollups keep working) but not sampled,
 * so the exporter never sends it. Sampling keeps its rate; costtrace keeps
 * its numbers.
 *
 * ```ts
 * new NodeSDK({ sampler: new RecordAllSampler(new TraceIdRatioBasedSampler(0.1)), … })
 * ```
 */
export class RecordAllSampler implements SamplerLike {
  private readonly _delegate: SamplerLike;

  constructor(delegate: SamplerLike) {
    this._delegate = delegate;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): ReturnType<SamplerLike['shouldSample']> {
    const result = this._delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision !== NOT_RECORD) return result;
    return { ...result, decision: RECORD };
  }

  toString(): string {
    return `RecordAllSampler{${this._delegate.toString()}}`;
  }
}
