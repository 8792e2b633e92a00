// costtrace's own attribute and event names. Money is in USD, named `…_usd`;
// counts are integers. The README's attribute table says who writes and reads each.

/** Cost of the call's uncached input tokens, in USD. */
export const ATTR_COSTTRACE_COST_INPUT_USD = 'costtrace.cost.input_usd' as const;

/** Cost of the call's output tokens (reasoning included), in USD. */
export const ATTR_COSTTRACE_COST_OUTPUT_USD = 'costtrace.cost.output_usd' as const;

/** Cost of the call's cache reads, in USD. */
export const ATTR_COSTTRACE_COST_CACHE_READ_USD = 'costtrace.cost.cache_read_usd' as const;

/** Cost of the call's cache writes (all lifetimes), in USD. */
export const ATTR_COSTTRACE_COST_CACHE_WRITE_USD = 'costtrace.cost.cache_write_usd' as const;

/** Per-request fees of the call (a price per call rather than per token), in USD. */
export const ATTR_COSTTRACE_COST_REQUEST_USD = 'costtrace.cost.request_usd' as const;

/** `priced`, `unpriced`, `estimated`, `invalid` or `duplicate` (see `PRICING_STATUS_VALUE_*`). */
export const ATTR_COSTTRACE_PRICING_STATUS = 'costtrace.pricing.status' as const;

/** Why the status is not `priced`: the unknown model, the impossible usage, … */
export const ATTR_COSTTRACE_PRICING_REASON = 'costtrace.pricing.reason' as const;

/** The price catalog's model entry the call matched. */
export const ATTR_COSTTRACE_PRICING_MODEL = 'costtrace.pricing.model' as const;

/** The version of the price data used. */
export const ATTR_COSTTRACE_PRICING_VERSION = 'costtrace.pricing.version' as const;

/** The price catalog's provider entry the call matched. */
export const ATTR_COSTTRACE_PRICING_PROVIDER = 'costtrace.pricing.provider' as const;

/**
 * `true` when the call ran on a service tier the catalog has no price for, and was
 * priced at the standard tier instead.
 */
export const ATTR_COSTTRACE_PRICING_SERVICE_TIER_UNPRICED = 'costtrace.pricing.service_tier_unpriced' as const;

/**
 * The call's cost as the provider (or a proxy) reported it in the response, USD: OpenRouter's
 * `usage.cost`, a LiteLLM proxy's `x-litellm-response-cost` header. Written by the instrumentation
 * that read it; the cost processor compares it with its own price.
 */
export const ATTR_COSTTRACE_PROVIDER_COST_USD = 'costtrace.provider.cost_usd' as const;

/**
 * costtrace's own price of a call, USD, written beside a provider-reported cost: when the span
 * carries `costtrace.provider.cost_usd`, `gen_ai.usage.cost.amount` holds the provider's figure
 * (`gen_ai.usage.cost.source` = `provider`) and this holds the local one. The `costtrace.cost.*_usd`
 * parts are always the local price's.
 */
export const ATTR_COSTTRACE_COST_LOCAL_USD = 'costtrace.cost.local_usd' as const;

/** The provider-reported cost minus costtrace's own price, USD (positive: the provider billed more). */
export const ATTR_COSTTRACE_PRICING_PROVIDER_COST_DIFF_USD = 'costtrace.pricing.provider_cost_diff_usd' as const;

/**
 * `true` when the provider-reported cost and costtrace's own price differ by more than the cost
 * processor's tolerance (1% of the larger, and more than $0.000001); `false` when they agree.
 */
export const ATTR_COSTTRACE_PRICING_PROVIDER_COST_MISMATCH = 'costtrace.pricing.provider_cost_mismatch' as const;

/**
 * `true` on a streaming call whose stream the caller never read: its span was
 * ended by the instrumentation's unread-stream timeout (or at shutdown).
 */
export const ATTR_COSTTRACE_STREAM_UNREAD = 'costtrace.stream.unread' as const;

/** `true` when the token counts are the instrumentation's own estimate, not the provider's. */
export const ATTR_COSTTRACE_USAGE_ESTIMATED = 'costtrace.usage.estimated' as const;

/** The run's id: user-provided, or the run span's trace id and span id. */
export const ATTR_COSTTRACE_RUN_ID = 'costtrace.run.id' as const;

/** The run's human-readable name (`withRun(name, …)`). */
export const ATTR_COSTTRACE_RUN_NAME = 'costtrace.run.name' as const;

/** The step's name (`withStep(name, …)`). */
export const ATTR_COSTTRACE_STEP_NAME = 'costtrace.step.name' as const;

/**
 * How the call ended: `completed`, `cancelled`, `budget_refused`, `budget_aborted`
 * or `error` (see `CALL_OUTCOME_VALUE_*`).
 */
export const ATTR_COSTTRACE_CALL_OUTCOME = 'costtrace.call.outcome' as const;

/** Sum of the priced cost of every call in the span's subtree, itself included, in USD. */
export const ATTR_COSTTRACE_SUBTREE_COST_USD = 'costtrace.subtree.cost_usd' as const;

/** Number of model calls in the subtree (duplicates not counted). */
export const ATTR_COSTTRACE_SUBTREE_LLM_CALLS = 'costtrace.subtree.llm_calls' as const;

/** Sum of input tokens (cache included) in the subtree. */
export const ATTR_COSTTRACE_SUBTREE_INPUT_TOKENS = 'costtrace.subtree.input_tokens' as const;

/** Sum of output tokens in the subtree. */
export const ATTR_COSTTRACE_SUBTREE_OUTPUT_TOKENS = 'costtrace.subtree.output_tokens' as const;

/** Number of calls in the subtree that could not be priced. */
export const ATTR_COSTTRACE_SUBTREE_UNPRICED_CALLS = 'costtrace.subtree.unpriced_calls' as const;

/** Number of calls that ended after their parent and were counted here instead of on it. */
export const ATTR_COSTTRACE_SUBTREE_LATE_ARRIVALS = 'costtrace.subtree.late_arrivals' as const;

/** Hard spending limit of the span's subtree, in USD; may be set after start. */
export const ATTR_COSTTRACE_BUDGET_LIMIT_USD = 'costtrace.budget.limit_usd' as const;

/** Soft limit as a share of the hard one (default 0.8). */
export const ATTR_COSTTRACE_BUDGET_WARN_RATIO = 'costtrace.budget.warn_ratio' as const;

/** What passing the limit does: `abort` (default) or `warn` (see `BUDGET_ON_EXCEED_VALUE_*`). */
export const ATTR_COSTTRACE_BUDGET_ON_EXCEED = 'costtrace.budget.on_exceed' as const;

/** What the scope spent, in USD, written back on the budget span. */
export const ATTR_COSTTRACE_BUDGET_SPENT_USD = 'costtrace.budget.spent_usd' as const;

/** `true` on a budget span whose spend passed its limit. */
export const ATTR_COSTTRACE_BUDGET_EXCEEDED = 'costtrace.budget.exceeded' as const;

/** Number of in-flight calls the scope aborted. */
export const ATTR_COSTTRACE_BUDGET_ABORTED_CALLS = 'costtrace.budget.aborted_calls' as const;

/** Number of calls the scope refused before sending. */
export const ATTR_COSTTRACE_BUDGET_REFUSED_CALLS = 'costtrace.budget.refused_calls' as const;

/** On a downgraded call: the model asked for (`gen_ai.request.model` holds the one sent). */
export const ATTR_COSTTRACE_BUDGET_DOWNGRADED_FROM = 'costtrace.budget.downgraded_from' as const;

/**
 * On a call a budget downgraded: what the downgrade saved, USD (the call's usage
 * priced at the model asked for, minus its cost at the model used).
 */
export const ATTR_COSTTRACE_BUDGET_SAVED_USD = 'costtrace.budget.saved_usd' as const;

/**
 * The budget scope concerned: on a refused or aborted call's span, on the
 * `costtrace.budget.*` events and on budget metrics. A string the budget
 * processor chooses (the budget span's name); low cardinality on metrics.
 */
export const ATTR_COSTTRACE_BUDGET_SCOPE = 'costtrace.budget.scope' as const;

/**
 * Span event on a budget span when its spend passes `costtrace.budget.limit_usd`.
 * Carries the scope, limit and spend attributes. Shares its name with the
 * attribute {@link ATTR_COSTTRACE_BUDGET_EXCEEDED}, as DESIGN.md names both.
 */
export const EVENT_COSTTRACE_BUDGET_EXCEEDED = 'costtrace.budget.exceeded' as const;

/** Span event on a budget span when its spend passes `limit × warn_ratio`. */
export const EVENT_COSTTRACE_BUDGET_WARNING = 'costtrace.budget.warning' as const;

/**
 * On a run span whose budget travelled to other services (see the `BAGGAGE_COSTTRACE_RUN_*`
 * entries): the run's spend in every process that charged its budget scope, this one included,
 * in USD, as the budget store holds it when the run span ends. `costtrace.subtree.cost_usd`
 * beside it is this process's own rollup.
 */
export const ATTR_COSTTRACE_RUN_TOTAL_COST_USD = 'costtrace.run.total_cost_usd' as const;

/**
 * Baggage entry set by `withRun` on a run with a budget: the budget scope key
 * (`{traceId}-{spanId}` of the run span), so a service that continues the trace charges the
 * same scope in a shared budget store. Ids only: never a secret, never a prompt.
 */
export const BAGGAGE_COSTTRACE_RUN_SCOPE = 'costtrace.run.scope' as const;

/** Baggage entry beside {@link BAGGAGE_COSTTRACE_RUN_SCOPE}: the run's `costtrace.run.id`. */
export const BAGGAGE_COSTTRACE_RUN_ID = 'costtrace.run.id' as const;

/** Baggage entry beside {@link BAGGAGE_COSTTRACE_RUN_SCOPE}: the run's name (`withRun(name, …)`). */
export const BAGGAGE_COSTTRACE_RUN_NAME = 'costtrace.run.name' as const;

/** Baggage entry beside {@link BAGGAGE_COSTTRACE_RUN_SCOPE}: the run budget's hard limit, USD, a decimal string. */
export const BAGGAGE_COSTTRACE_RUN_LIMIT_USD = 'costtrace.run.limit_usd' as const;

/** Baggage entry beside {@link BAGGAGE_COSTTRACE_RUN_SCOPE}: the run budget's warn ratio, when set. */
export const BAGGAGE_COSTTRACE_RUN_WARN_RATIO = 'costtrace.run.warn_ratio' as const;

/** Baggage entry beside {@link BAGGAGE_COSTTRACE_RUN_SCOPE}: the run budget's `on_exceed`, when set. */
export const BAGGAGE_COSTTRACE_RUN_ON_EXCEED = 'costtrace.run.on_exceed' as const;

/** Prefix of a standing budget's scope key: `standing:{budget name}:{key value}:{window start, ISO 8601 UTC}`. */
export const STANDING_SCOPE_KEY_PREFIX = 'standing:' as const;
