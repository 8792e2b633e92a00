import type { Counter, Histogram, MeterProvider } from '@opentelemetry/api';
import {
  ATTR_COSTTRACE_BUDGET_SCOPE,
  BUDGET_UTILIZATION_HISTOGRAM_BUCKETS,
  METRIC_COSTTRACE_BUDGET_ABORTED_CALLS,
  METRIC_COSTTRACE_BUDGET_REFUSED_CALLS,
  METRIC_COSTTRACE_BUDGET_UTILIZATION,
  METRIC_COSTTRACE_BUDGET_WARNINGS,
  METRIC_COSTTRACE_SPANS_DROPPED_STATE,
  UNIT_CALL,
  UNIT_RATIO,
  UNIT_SPAN,
  UNIT_WARNING,
} from '@costtrace/semconv';

const METER_NAME = '@costtrace/budget-span-processor';

/** The budget processor's instruments; every record carries `costtrace.budget.scope` (the budget span's name). */
export class BudgetMetrics {
  private readonly _utilization: Histogram;
  private readonly _warnings: Counter;
  private readonly _refused: Counter;
  private readonly _aborted: Counter;
  private readonly _dropped: Counter;

  constructor(provider: MeterProvider) {
    const meter = provider.getMeter(METER_NAME);
    this._utilization = meter.createHistogram(METRIC_COSTTRACE_BUDGET_UTILIZATION, {
      unit: UNIT_RATIO,
      description: 'Spend divided by limit of each budget scope when its span ends',
      advice: { explicitBucketBoundaries: [...BUDGET_UTILIZATION_HISTOGRAM_BUCKETS] },
    });
    this._warnings = meter.createCounter(METRIC_COSTTRACE_BUDGET_WARNINGS, {
      unit: UNIT_WARNING,
      description: 'Budget scopes that passed their soft limit',
    });
    this._refused = meter.createCounter(METRIC_COSTTRACE_BUDGET_REFUSED_CALLS, {
      unit: UNIT_CALL,
      description: 'Model calls a budget refused before sending',
    });
    this._aborted = meter.createCounter(METRIC_COSTTRACE_BUDGET_ABORTED_CALLS, {
      unit: UNIT_CALL,
      description: 'In-flight model calls a budget aborted',
    });
    this._dropped = meter.createCounter(METRIC_COSTTRACE_SPANS_DROPPED_STATE, {
      unit: UNIT_SPAN,
      description: 'Spans whose state was dropped because a bounded map was full or they never ended',
    });
  }

  utilization(scope: string, ratio: number): void {
    this._utilization.record(ratio, { [ATTR_COSTTRACE_BUDGET_SCOPE]: scope });
  }

  warning(scope: string): void {
    this._warnings.add(1, { [ATTR_COSTTRACE_BUDGET_SCOPE]: scope });
  }

  refused(scope: string): void {
    this._refused.add(1, { [ATTR_COSTTRACE_BUDGET_SCOPE]: scope });
  }

  aborted(scope: string, calls: number): void {
    if (calls > 0) this._aborted.add(calls, { [ATTR_COSTTRACE_BUDGET_SCOPE]: scope });
  }

  droppedState(spans: number): void {
    if (spans > 0) this._dropped.add(spans);
  }
}
