import type { Attributes, HrTime, MeterProvider, SpanContext } from '@opentelemetry/api';
import type { PriceCatalog } from '@costtrace/pricing';
import type { StandingBudgetOptions } from './standing-budget';

/** What a budget does with a call to a model the price catalog does not know. */
export type UnpricedPolicy = 'refuse' | 'reserve' | 'allow';

/** Options of {@link BudgetSpanProcessor}. Every field is optional. */
export interface BudgetSpanProcessorOptions extends StandingBudgetOptions {
  /**
   * A run budget applied to every run that has none of its own: the nearest
   * `invoke_workflow` ancestor of a call, else its local root. A value that is
   * not a non-negative number is ignored with one warning.
   * @default env `COSTTRACE_DEFAULT_RUN_BUDGET_USD`, else no default budget
   */
  defaultRunBudgetUsd?: number;
  /**
   * Output tokens reserved for a call that sets no `max_tokens`; what it
   * produces beyond them is charged as it streams.
   * @default env `COSTTRACE_BUDGET_OUTPUT_ALLOWANCE_TOKENS`, else 1024
   */
  outputAllowanceTokens?: number;
  /**
   * Soft limit, as a share of the hard one, for budget spans that set no
   * `costtrace.budget.warn_ratio`. In (0, 1].
   * @default env `COSTTRACE_BUDGET_WARN_RATIO`, else 0.8
   */
  warnRatio?: number;
  /**
   * A call to a model with no price under a budget: `refuse` it (the error
   * names the price override to add), `reserve` at
   * {@link unpricedFallbackUsdPerMTok} for every token, or `allow` it uncounted.
   * Each path warns once per model.
   * @default env `COSTTRACE_BUDGET_UNPRICED_POLICY`, else 'refuse'
   */
  unpricedPolicy?: UnpricedPolicy;
  /**
   * USD per million tokens (input and output alike) for unpriced models under
   * the `reserve` policy: what is reserved, charged and settled for them.
   * @default env `COSTTRACE_BUDGET_UNPRICED_FALLBACK_USD_PER_MTOK`, else 75
   */
  unpricedFallbackUsdPerMTok?: number;
  /**
   * Cheaper models to send later calls to once a scope passes its soft limit,
   * keyed by the model asked for: `{ 'claude-opus-4-7': 'claude-haiku-4-5' }`.
   * Env `COSTTRACE_BUDGET_DOWNGRADES`: `from=to,from=to` or a JSON object.
   * @default {} (no downgrades)
   */
  downgrades?: Readonly<Record<string, string>>;
  /**
   * Where spend and reservations live.
   * @default new InMemoryBudgetStore()
   */
  store?: BudgetStore;
  /**
   * Prices reservations, running usage and settlements.
   * @default getDefaultCatalog() from `@costtrace/pricing` (reads `COSTTRACE_PRICES_FILE`)
   */
  catalog?: PriceCatalog;
  /**
   * Where the budget metrics go.
   * @default the global MeterProvider at construction
   */
  meterProvider?: MeterProvider;
  /**
   * Most open spans kept for parent links. Past it, new spans are not tracked
   * (a budget set on them is not seen) and one warning says so.
   * @default 100000
   */
  maxOpenSpans?: number;
  /**
   * Time after which a span that never ended, or a budget scope with no call
   * in flight whose span was never seen ending, is dropped.
   * @default 3600000 (one hour)
   */
  staleAfterMs?: number;
}

/** One scope in a {@link BudgetStore.reserve} request. */
export interface ReserveScope {
  /** The scope: `{traceId}-{spanId}` of a budget span, or any other string (a standing budget's key). */
  readonly key: string;
  /** The hard limit, integer pico-USD. */
  readonly limitPico: bigint;
  /** False for an `on_exceed=warn` scope: it is charged but never refuses. */
  readonly enforce: boolean;
  /** The budget's name (its span's name), for a shared store's listing. */
  readonly name?: string;
  /** The budget's window (`1d`, `1mo`, …) when it has one, for a shared store's listing. */
  readonly window?: string;
}

/**
 * What a shared store tells the processor about a scope from elsewhere: another process's spend
 * crossed its limit, or an operator stopped or resumed it (`costtrace budget stop`).
 */
export type BudgetStoreEvent =
  | { readonly kind: 'crossed'; readonly key: string; readonly spentPico: bigint }
  | { readonly kind: 'stopped'; readonly key: string }
  | { readonly kind: 'resumed'; readonly key: string };

/** A scope's money, integer pico-USD. */
export interface ScopeLedger {
  /** Settled cost of the calls that ended under the scope. */
  readonly settledPico: bigint;
  /** What in-flight calls hold: each call's reservation, or its running cost where that is higher. */
  readonly reservedPico: bigint;
  /** Running (actual) cost of the in-flight calls. Never above `reservedPico`. */
  readonly inflightPico: bigint;
}

/**
 * Where budget spend and reservations live, keyed by scope: any string (`{traceId}-{spanId}`
 * for a span's budget, others for standing budgets). The required methods are synchronous: the
 * pre-call step runs before the SDK's own promise is returned. A shared store (several processes
 * spending one run's budget, `@costtrace/budget-store-redis`) works as a local ledger that leases
 * quota from the shared one, and adds the optional methods below. Methods on an unknown (closed)
 * key do nothing.
 */
export interface BudgetStore {
  /** Opens a scope's ledger if it is not open. False when the store is full. */
  open(key: string): boolean;
  /**
   * Reserves `amountPico` against every scope, or against none: returns -1
   * when reserved, else the index of the first enforcing scope whose
   * settled + reserved + amount would pass its limit. Every key must be open.
   */
  reserve(scopes: readonly ReserveScope[], amountPico: bigint): number;
  /** A running call's hold and actual cost changed by these (possibly negative) amounts. */
  charge(keys: readonly string[], heldDeltaPico: bigint, actualDeltaPico: bigint): void;
  /** A call ended: drop its hold and running cost, add `costPico` to settled. */
  settle(keys: readonly string[], heldPico: bigint, actualPico: bigint, costPico: bigint): void;
  /** The scope's ledger, or undefined when it is not open. */
  get(key: string): ScopeLedger | undefined;
  /** Drops a scope (its span ended). */
  close(key: string): void;
  /** Scopes open now. */
  readonly size: number;
  /**
   * A shared store's admission (optional): like {@link reserve}, but it may answer later, when
   * the quota this process holds locally does not cover the call and the shared ledger must be
   * asked. A number is the answer now; a promise resolves to it (-1: reserved; else the index of
   * the refusing scope, nothing reserved) or rejects when the store cannot answer (the processor
   * then fails closed). With it, the processor's gate gets `beginAsync`.
   */
  reserveShared?(scopes: readonly ReserveScope[], amountPico: bigint): number | Promise<number>;
  /** True when an operator stopped the scope (a shared store's kill switch). */
  isStopped?(key: string): boolean;
  /** Subscribes to what happens to scopes elsewhere (a shared store); returns the unsubscribe. */
  watch?(listener: (event: BudgetStoreEvent) => void): () => void;
  /** Releases what the store holds (connections, leases); the processor's shutdown calls it. */
  shutdown?(): Promise<void>;
}

/**
 * The SDK `Span` as this processor reads it (`@opentelemetry/sdk-trace` 2.x
 * and 3.x): attributes are read at gate time, so a limit set with
 * `setAttribute` after the span started counts.
 */
export interface ProcessorSpan {
  readonly name: string;
  readonly attributes: Attributes;
  /** The parent link in sdk-trace 2.x and 3.x. */
  readonly parentSpanContext?: SpanContext | undefined;
  spanContext(): SpanContext;
  setAttribute(key: string, value: string | number | boolean): unknown;
  addEvent(name: string, attributes?: Attributes): unknown;
}

/** The SDK `ReadableSpan` as this processor reads it at `onEnd`. */
export interface ProcessorReadableSpan {
  readonly name: string;
  readonly attributes: Attributes;
  /** When the call started (prices that change with time are read at it). */
  readonly startTime?: HrTime;
  readonly parentSpanContext?: SpanContext | undefined;
  spanContext(): SpanContext;
}
