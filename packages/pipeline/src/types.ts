import type { Attributes, Context, DiagLogger, Span, Tracer } from '@opentelemetry/api';
import type { TokenUsage } from '@costtrace/semconv';

/** How a model call ended; written as `costtrace.call.outcome`. */
export type CallOutcome = 'completed' | 'cancelled' | 'budget_refused' | 'budget_aborted' | 'error';

/** Whether a budget stopped a call before it was sent or while it ran. */
export type BudgetStopAction = 'refused' | 'aborted';

/** The budget span a BudgetExceededError names. */
export interface BudgetScopeRef {
  traceId: string;
  spanId: string;
  /** The budget span's name (`invoke_agent researcher`, `run nightly-report`). */
  name: string;
}

/** The call a budget stopped. */
export interface StoppedCallRef {
  provider: string;
  model: string;
  /** Span id of the call's inference span. */
  spanId?: string;
}

export interface BudgetExceededErrorInit {
  scope: BudgetScopeRef;
  limitUsd: number;
  spentUsd: number;
  action: BudgetStopAction;
  call?: StoppedCallRef;
  message?: string;
  cause?: unknown;
}

/**
 * What a call may cost at most, known before it is sent. Input is an estimate
 * (an over-estimate where no offline tokenizer exists); output is the request's
 * own cap when it has one.
 */
export interface CallEstimate {
  /** Estimated input tokens, cached and cache-write tokens included. */
  inputTokens: number;
  /** `max_tokens` / `max_completion_tokens` / `max_output_tokens`, when the request sets one. */
  maxOutputTokens?: number;
  /** Number of choices requested (`n`); output is reserved once per choice. @default 1 */
  choices: number;
  /** Input tokens the request asks to write to the prompt cache, when known. */
  cacheWriteTokens?: number;
  /** The request's service tier (`batch`, `flex`, `priority`), when it sets one. */
  serviceTier?: string;
}

/**
 * A model call about to be sent, as the instrumentation shows it to the {@link CallGate}. It is a
 * class instance whose `estimate` is read through its prototype (estimated only when a gate reads
 * it): a gate that wraps another passes it on as `Object.create(call, { … })`, not as a spread.
 */
export interface GateCall {
  /** `gen_ai.provider.name` (`openai`, `anthropic`). */
  readonly provider: string;
  /** `gen_ai.operation.name` (`chat`, `embeddings`). */
  readonly operation: string;
  /** The model the caller asked for. */
  readonly requestModel: string;
  readonly streaming: boolean;
  /** The call's inference span (may be non-recording). */
  readonly span: Span;
  /** The context the call runs in, with `span` set as active. */
  readonly context: Context;
  /** The context the call was made in (its parent span's), for walking ancestors when `span` is not recording. */
  readonly parentContext: Context;
  readonly estimate: CallEstimate;
  /**
   * Stops the call in flight: aborts its request through the call's own
   * AbortSignal. The caller then gets `reason` (see BudgetExceededError).
   * Returns true only when the call was really stopped: false when it had
   * already received its whole response (it completes at its real cost),
   * had ended, or was stopped before.
   */
  abort(reason: Error): boolean;
}

/** The gate's hold on one admitted call. Every method is called at most once per call except `onUsage`. */
export interface CallTicket {
  /** Send the call to this model instead of the one asked for (a budget downgrade). */
  readonly model?: string;
  /**
   * False when the gate will never stop this call (no budget applies to it):
   * a call without a caller signal is then sent without one of costtrace's,
   * and its stream reads are not raced. @default true
   */
  readonly abortable?: boolean;
  /** Usage so far of a running call: cumulative, estimated until the provider's own count arrives. */
  onUsage?(usage: TokenUsage, estimated: boolean): void;
  /** The call ended: settle what was reserved for it. */
  end(result: CallResult): void;
}

/** How an admitted call ended, as the gate sees it. */
export interface CallResult {
  outcome: CallOutcome;
  /** Final usage: the provider's, or the running estimate when the call was cut short. */
  usage?: TokenUsage;
  /** True when `usage` is the instrumentation's estimate, not the provider's count. */
  usageEstimated: boolean;
  /** `gen_ai.response.model`, when the provider sent one. */
  responseModel?: string;
}

/**
 * The seam between the instrumentations and a budget enforcer.
 *
 * `begin` runs synchronously before the request is sent: the SDK's own promise
 * object must be returned at once. `beginAsync`, when a gate has it, serves
 * callers that can wait (`fetch` returns a promise). It refuses a call by throwing a
 * BudgetExceededError (the call is then never sent), or admits it with a
 * ticket. Any other throw is a bug in the gate: the instrumentation logs it
 * through `diag` and sends the call unguarded.
 */
export interface CallGate {
  begin(call: GateCall): CallTicket;
  /**
   * The asynchronous admission, for callers that return a promise anyway (the
   * wire-level `fetch` instrumentation): it may wait on a shared store before
   * answering. Same contract as {@link begin}, as a promise: rejects with a
   * BudgetExceededError to refuse. Absent: {@link begin} answers both paths.
   */
  beginAsync?(call: GateCall): Promise<CallTicket>;
  /**
   * The spend of the budget scope of span `spanId` (a run's, `withRun` asks it before the run
   * span ends), USD: settled plus running, in every process that charged it when the budget store
   * is shared (a shared store's view is brought up to date first). Undefined when the gate holds no
   * such scope. Never rejects.
   */
  scopeSpend?(traceId: string, spanId: string): Promise<number | undefined>;
}

/** A module an instrumentation saw but left unpatched, so budgets cannot see its calls. */
export interface UnpatchedModule {
  module: string;
  version: string | undefined;
  reason: string;
}

/** What an InferenceCall needs to start a model call. */
export interface InferenceCallInit {
  tracer: Tracer;
  diag: DiagLogger;
  /** `gen_ai.provider.name`. */
  provider: string;
  /** `gen_ai.operation.name`. */
  operation: string;
  /** The model the caller asked for. */
  requestModel: string;
  streaming: boolean;
  estimate: CallEstimate;
  /** Request attributes (`server.address`, `gen_ai.request.max_tokens`, …). */
  attributes?: Attributes;
  /** The caller's own `signal` option, followed until the call ends. */
  callerSignal?: AbortSignal | null;
  /** @default context.active() */
  parentContext?: Context;
  /**
   * Leave the caller's baggage in the context the SDK call runs in, so an HTTP
   * instrumentation may send it to the provider in a `baggage` header. Off by
   * default: tenant and user ids stay inside the app's own traces.
   * @default false
   */
  propagateBaggage?: boolean;
}

/** How the instrumentation saw a call end. */
export interface CallEnd {
  /** Chosen from `error` and the abort state when absent. */
  outcome?: CallOutcome;
  error?: unknown;
  /** The consumer stopped reading a stream early (`break`, `return()`). */
  consumerStopped?: boolean;
  finishReasons?: string[];
  responseModel?: string;
}
