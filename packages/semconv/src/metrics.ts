// Metric names, units and bucket boundaries. The README's metric table gives each
// instrument's kind and attributes.

/**
 * Histogram of tokens per call, unit `{token}`, one point per `gen_ai.token.type`
 * (`input`, `output`). As of semconv 1.27.0; semconv-genai main replaces it with
 * `gen_ai.client.inference.*` counters (unreleased).
 */
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage' as const;

/** Histogram of call duration, unit `s`. As of semconv 1.27.0. */
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration' as const;

/** Histogram of each call's cost. Semconv-genai main (#443), unreleased; its unit is not confirmed. */
export const METRIC_GEN_AI_CLIENT_OPERATION_COST = 'gen_ai.client.operation.cost' as const;

/** Counter of priced spend, unit `USD`; every priced call adds its cost, whatever the export queue does. */
export const METRIC_COSTTRACE_COST = 'costtrace.cost' as const;

/** Histogram of each run's total cost, unit `USD`, on {@link RUN_COST_HISTOGRAM_BUCKETS_USD}. */
export const METRIC_COSTTRACE_RUN_COST = 'costtrace.run.cost' as const;

/** Counter of calls that could not be priced, unit `{call}`. */
export const METRIC_COSTTRACE_CALLS_UNPRICED = 'costtrace.calls.unpriced' as const;

/** Counter of calls that ended after their parent, unit `{span}`. */
export const METRIC_COSTTRACE_SPANS_LATE_ARRIVALS = 'costtrace.spans.late_arrivals' as const;

/**
 * Histogram of spend ÷ limit of each budget scope when it ends, unit `1`, on
 * {@link BUDGET_UTILIZATION_HISTOGRAM_BUCKETS}. A histogram rather than a gauge: it
 * keeps no per-scope state and shows how close budgets run across runs.
 */
export const METRIC_COSTTRACE_BUDGET_UTILIZATION = 'costtrace.budget.utilization' as const;

/** Counter of budget scopes that passed their warn ratio, unit `{warning}`. */
export const METRIC_COSTTRACE_BUDGET_WARNINGS = 'costtrace.budget.warnings' as const;

/** Counter of calls a budget refused before sending, unit `{call}`. */
export const METRIC_COSTTRACE_BUDGET_REFUSED_CALLS = 'costtrace.budget.refused_calls' as const;

/** Counter of in-flight calls a budget aborted, unit `{call}`. */
export const METRIC_COSTTRACE_BUDGET_ABORTED_CALLS = 'costtrace.budget.aborted_calls' as const;

/** Counter of spans whose rollup state was dropped because a bounded map was full, unit `{span}`. */
export const METRIC_COSTTRACE_SPANS_DROPPED_STATE = 'costtrace.spans.dropped_state' as const;

/** Unit of token counts (UCUM annotation). */
export const UNIT_TOKEN = '{token}' as const;
/** Unit of durations. */
export const UNIT_SECONDS = 's' as const;
/** Unit of money. UCUM has no currency; `USD` is what OTel backends show as-is. */
export const UNIT_USD = 'USD' as const;
/** Unit of call counts (UCUM annotation). */
export const UNIT_CALL = '{call}' as const;
/** Unit of span counts (UCUM annotation). */
export const UNIT_SPAN = '{span}' as const;
/** Unit of warning counts (UCUM annotation). */
export const UNIT_WARNING = '{warning}' as const;
/** Unit of ratios. */
export const UNIT_RATIO = '1' as const;

/** Explicit bucket boundaries of {@link METRIC_COSTTRACE_RUN_COST}: a tenth of a cent to a hundred dollars. */
export const RUN_COST_HISTOGRAM_BUCKETS_USD: readonly number[] = Object.freeze([
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100,
]);

/** Explicit bucket boundaries of {@link METRIC_COSTTRACE_BUDGET_UTILIZATION}, dense around the warn ratio and the limit. */
export const BUDGET_UTILIZATION_HISTOGRAM_BUCKETS: readonly number[] = Object.freeze([
  0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.25, 1.5, 2,
]);

/** Explicit bucket boundaries the GenAI conventions advise for {@link METRIC_GEN_AI_CLIENT_TOKEN_USAGE}. */
export const TOKEN_USAGE_HISTOGRAM_BUCKETS: readonly number[] = Object.freeze([
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]);

/**
 * Explicit bucket boundaries the GenAI conventions advise for
 * {@link METRIC_GEN_AI_CLIENT_OPERATION_DURATION}, in seconds (as of semconv 1.27, unverified).
 */
export const OPERATION_DURATION_HISTOGRAM_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]);
