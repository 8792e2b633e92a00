import { metrics, type Attributes, type Histogram, type MeterProvider } from '@opentelemetry/api';
import { picoToUsd } from '@costtrace/pricing';
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
import { CounterSums } from './counter-sums';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

interface Instruments {
  runCost: Histogram;
  tokenUsage: Histogram;
}

/** The counters, summed in plain integers and reported when a reader collects (see CounterSums). */
interface Sums {
  costPico: CounterSums;
  unpricedCalls: CounterSums;
  lateArrivals: CounterSums;
  droppedState: CounterSums;
}

const NO_ATTRIBUTES = (): Attributes => ({});

/**
 * The processor's instruments. Without an injected provider they follow the global one: the
 * metrics API has no proxy provider, so a meter taken before `NodeSDK.start()` registers its
 * provider would stay a no-op forever. The global is compared by identity on each use (one
 * property read) and the instruments are made again when it changes.
 *
 * Counters are summed here per attribute set (exact integers) and reported by observable
 * counters at collection; the histograms (token usage, run cost) are recorded as they come.
 */
/** The token histogram's two attribute sets (input, output) of one (operation, provider, request model, response model). */
export interface TokenAttributeSets {
  readonly operation: string | undefined;
  readonly provider: string | undefined;
  readonly requestModel: string | undefined;
  readonly responseModel: string | undefined;
  readonly input: Attributes;
  readonly output: Attributes;
}

/** A cost attribute set's name (see call-metrics.ts) and what it was made of. */
export interface CostKey {
  readonly status: string;
  readonly provider: string | undefined;
  readonly requestModel: string | undefined;
  readonly responseModel: string | undefined;
  readonly agentName: string | undefined;
  readonly key: string;
}

export class CostMetrics {
  /** The last call's cost attribute set name, reused by the next call with the same identity (see call-metrics.ts). */
  lastCostKey: CostKey | undefined;
  /** The last call's token attribute sets, reused by the next call of the same model (see call-metrics.ts). */
  lastTokenSets: TokenAttributeSets | undefined;
  private readonly _fixed: MeterProvider | undefined;
  private _provider: MeterProvider | undefined;
  private _instruments: Instruments | undefined;
  private readonly _sums: Sums = {
    costPico: new CounterSums((pico) => (typeof pico === 'number' ? pico / 1e12 : picoToUsd(pico))),
    unpricedCalls: new CounterSums(),
    lateArrivals: new CounterSums(),
    droppedState: new CounterSums(),
  };

  constructor(meterProvider: MeterProvider | undefined) {
    this._fixed = meterProvider;
  }

  get instruments(): Instruments {
    const provider = this._fixed ?? metrics.getMeterProvider();
    if (provider !== this._provider || this._instruments === undefined) {
      this._provider = provider;
      this._instruments = create(provider, this._sums);
    }
    return this._instruments;
  }

  /** Adds a call's cost (integer pico-USD: `pico` + `bigPico`) to the set `key` names; `attributes` makes that set's attributes once. */
  cost(pico: number, bigPico: bigint, key: string, attributes: () => Attributes): void {
    this._follow();
    this._sums.costPico.add(key, attributes, pico, bigPico);
  }

  // The observable counters live on the current provider's meter: made (again) when it changes.
  private _follow(): void {
    if ((this._fixed ?? metrics.getMeterProvider()) !== this._provider || this._instruments === undefined) void this.instruments;
  }

  tokens(count: number, attributes: Attributes): void {
    this.instruments.tokenUsage.record(count, attributes);
  }

  unpriced(key: string, attributes: () => Attributes): void {
    this._follow();
    this._sums.unpricedCalls.add(key, attributes, 1);
  }

  runCost(usd: number, attributes: Attributes): void {
    this.instruments.runCost.record(usd, attributes);
  }

  lateArrival(): void {
    this._follow();
    this._sums.lateArrivals.add('', NO_ATTRIBUTES, 1);
  }

  droppedState(spans: number): void {
    if (spans <= 0) return;
    this._follow();
    this._sums.droppedState.add('', NO_ATTRIBUTES, spans);
  }
}

function create(provider: MeterProvider, sums: Sums): Instruments {
  const meter = provider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
  meter
    .createObservableCounter(METRIC_COSTTRACE_COST, {
      unit: UNIT_USD,
      description: 'Priced cost of model calls (estimated ones included), in USD',
    })
    .addCallback((result) => sums.costPico.observe(result));
  meter
    .createObservableCounter(METRIC_COSTTRACE_CALLS_UNPRICED, {
      unit: UNIT_CALL,
      description: 'Model calls that could not be priced (unknown model, invalid or missing usage)',
    })
    .addCallback((result) => sums.unpricedCalls.observe(result));
  meter
    .createObservableCounter(METRIC_COSTTRACE_SPANS_LATE_ARRIVALS, {
      unit: UNIT_SPAN,
      description: 'Model calls that ended after an ancestor span had ended',
    })
    .addCallback((result) => sums.lateArrivals.observe(result));
  meter
    .createObservableCounter(METRIC_COSTTRACE_SPANS_DROPPED_STATE, {
      unit: UNIT_SPAN,
      description: 'Spans whose cost state was dropped (idle past the TTL, or over the size bound)',
    })
    .addCallback((result) => sums.droppedState.observe(result));
  return {
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
  };
}
