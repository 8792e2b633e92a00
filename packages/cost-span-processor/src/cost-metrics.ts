import { metrics, type Attributes, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';
import {
  METRIC_COSTTRACE_CALLS_UNPRICED,
  METRIC_COSTTRACE_COST,
  METRIC_COSTTRACE_RUN_COST,
  METRIC_COSTTRACE_SPANS_DROPPED_STATE,
  METRIC_COSTTRACE_SPANS_LATE_ARRIVALS,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  RUN_COST_HISTOGRAM_BUCKETS_USD,
  TOKEN_USAGE_HISTOGRAM_BUCKETS,
  UNIT_CALL,
  UNIT_SPAN,
  UNIT_TOKEN,
  UNIT_USD,
} from '@costtrace/semconv';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

interface Instruments {
  cost: Counter;
  runCost: Histogram;
  tokenUsage: Histogram;
  unpricedCalls: Counter;
  lateArrivals: Counter;
  droppedState: Counter;
}

/**
 * The processor's instruments. Without an injected provider they follow the global one: the
 * metrics API has no proxy provider, so a meter taken before `NodeSDK.start()` registers its
 * provider would stay a no-op forever. The global is compared by identity on each use (one
 * property read) and the instruments are made again when it changes.
 */
export class CostMetrics {
  private readonly _fixed: MeterProvider | undefined;
  private _provider: MeterProvider | undefined;
  private _instruments: Instruments | undefined;

  constructor(meterProvider: MeterProvider | undefined) {
    this._fixed = meterProvider;
  }

  get instruments(): Instruments {
    const provider = this._fixed ?? metrics.getMeterProvider();
    if (provider !== this._provider || this._instruments === undefined) {
      this._provider = provider;
      this._instruments = create(provider);
    }
    return this._instruments;
  }

  cost(usd: number, attributes: Attributes): void {
    this.instruments.cost.add(usd, attributes);
  }

  tokens(count: number, attributes: Attributes): void {
    this.instruments.tokenUsage.record(count, attributes);
  }

  unpriced(attributes: Attributes): void {
    this.instruments.unpricedCalls.add(1, attributes);
  }

  runCost(usd: number, attributes: Attributes): void {
    this.instruments.runCost.record(usd, attributes);
  }

  lateArrival(): void {
    this.instruments.lateArrivals.add(1);
  }

  droppedState(spans: number): void {
    if (spans > 0) this.instruments.droppedState.add(spans);
  }
}

function create(provider: MeterProvider): Instruments {
  const meter = provider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
  return {
    cost: meter.createCounter(METRIC_COSTTRACE_COST, {
      unit: UNIT_USD,
      description: 'Priced cost of model calls (estimated ones included), in USD',
    }),
    runCost: meter.createHistogram(METRIC_COSTTRACE_RUN_COST, {
      unit: UNIT_USD,
      description: 'Cost of each run (the calls attributed to it), recorded when the run span ends',
      advice: { explicitBucketBoundaries: [...RUN_COST_HISTOGRAM_BUCKETS_USD] },
    }),
    tokenUsage: meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
      unit: UNIT_TOKEN,
      description: 'Tokens per model call, by gen_ai.token.type',
      advice: { explicitBucketBoundaries: [...TOKEN_USAGE_HISTOGRAM_BUCKETS] },
    }),
    unpricedCalls: meter.createCounter(METRIC_COSTTRACE_CALLS_UNPRICED, {
      unit: UNIT_CALL,
      description: 'Model calls that could not be priced (unknown model, invalid or missing usage)',
    }),
    lateArrivals: meter.createCounter(METRIC_COSTTRACE_SPANS_LATE_ARRIVALS, {
      unit: UNIT_SPAN,
      description: 'Model calls that ended after an ancestor span had ended',
    }),
    droppedState: meter.createCounter(METRIC_COSTTRACE_SPANS_DROPPED_STATE, {
      unit: UNIT_SPAN,
      description: 'Spans whose cost state was dropped (idle past the TTL, or over the size bound)',
    }),
  };
}
