/** Calls and tokens of a group of model calls. */
export interface UsageTotals {
  /** Model calls counted (priced or not; calls refused by a budget before sending are not). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** A group's cost, its calls and tokens, and its share of the total cost. */
export interface CostRow extends UsageTotals {
  /** Sum of the calls' recorded `gen_ai.usage.cost.amount`, in USD (summed exactly in pico-USD). */
  costUsd: number;
  /** `costUsd` / the report's total cost, 0 to 1 (0 when the total is 0). */
  share: number;
  /** Calls without a recorded cost (`costtrace.pricing.status` `unpriced` or `invalid`). */
  unpricedCalls: number;
}

export interface AgentRow extends CostRow {
  /** `gen_ai.agent.name` (the role: three parallel researchers are one row); `(no agent)` when none. */
  name: string;
  /** Runs in which the agent made calls. */
  runs: number;
}

export interface StepRow extends CostRow {
  agent: string;
  /** `costtrace.step.name` of the nearest step span (else an `execute_tool` span's `gen_ai.tool.name`); `(no step)`. */
  name: string;
}

export interface ModelRow extends CostRow {
  /** `gen_ai.response.model`, else `gen_ai.request.model`. */
  model: string;
  provider: string | undefined;
}

export interface RunRow extends CostRow {
  /** `costtrace.run.id` (else the trace id). */
  id: string;
  /** `costtrace.run.name` of the run span, when recorded. */
  name: string | undefined;
  traceId: string;
  /** Start of the run's first call, ISO 8601. */
  startTime: string;
  /** The run's costliest agent and its share of the run. */
  costliestAgent: string | undefined;
  costliestAgentShare: number;
  /** Calls of the run refused or aborted by a budget. */
  budgetStops: number;
}

/** Cost per run across runs, nearest-rank percentiles (the smallest run cost with at least p% of runs at or below it). */
export interface CostPerRun {
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** The cost concentration index: the costliest agent's share of all cost. */
export interface Concentration {
  agent: string | undefined;
  costUsd: number;
  share: number;
}

export interface BudgetRow {
  /** The budget's scope name (`costtrace.budget.scope` of its events, else the budget span's name). */
  scope: string;
  runId: string;
  agent: string | undefined;
  limitUsd: number;
  /** `costtrace.budget.spent_usd` (else the span's subtree cost). */
  spentUsd: number;
  /** `spentUsd / limitUsd` (0 when the limit is 0 and nothing was spent). */
  utilization: number;
  exceeded: boolean;
  /** The span carries a `costtrace.budget.warning` event. */
  warned: boolean;
  abortedCalls: number;
  refusedCalls: number;
}

/** A call a budget stopped: refused before sending or aborted in flight. */
export interface BudgetStop {
  runId: string;
  agent: string;
  step: string;
  model: string;
  /** `budget_refused` or `budget_aborted`. */
  outcome: string;
  /** `costtrace.budget.scope` of the call: the budget that stopped it. */
  scope: string | undefined;
  /** What the call cost before it was stopped (an aborted stream is billed for what it used). */
  costUsd: number;
  traceId: string;
  spanId: string;
}

export interface UnpricedRow {
  model: string;
  provider: string | undefined;
  /** `costtrace.pricing.status`: `unpriced` or `invalid`. */
  status: string;
  calls: number;
  /** The first `costtrace.pricing.reason` seen. */
  reason: string | undefined;
}

export interface WhatIfAgent {
  name: string;
  /** The model the agent's calls are repriced on. */
  toModel: string;
  calls: number;
  /** Calls repriced from their recorded usage; the others keep their recorded cost (no usage, or the new model has no price). */
  repricedCalls: number;
  fromCostUsd: number;
  toCostUsd: number;
  savedUsd: number;
}

export interface WhatIf {
  agents: WhatIfAgent[];
  /** The whole report's cost, before and after the moves. */
  fleet: { fromCostUsd: number; toCostUsd: number; savedUsd: number };
}

/** One time range's totals, for a comparison. */
export interface RangeSummary {
  since: string | undefined;
  until: string | undefined;
  costUsd: number;
  calls: number;
  runs: number;
  costPerRun: CostPerRun;
}

export interface Comparison {
  current: RangeSummary;
  baseline: RangeSummary;
  /** current − baseline cost, USD. */
  deltaUsd: number;
  agents: Array<{ name: string; currentCostUsd: number; baselineCostUsd: number; deltaUsd: number }>;
}

/** A run's cost tree: run → agents → steps → calls. */
export interface CostTreeNode {
  kind: 'run' | 'agent' | 'step' | 'call';
  name: string;
  costUsd: number;
  calls: number;
  /** Calls only: the model and the pricing status or budget outcome. */
  model?: string;
  status?: string;
  children: CostTreeNode[];
}

/** What `costtrace report --format json` prints. */
export interface Report {
  /** Format version of this document. */
  version: 1;
  /** Where the spans came from (file paths or API base URLs). */
  sources: string[];
  /** The time range calls were taken from (their start time), ISO 8601. */
  range: { since: string | undefined; until: string | undefined };
  totals: UsageTotals & { costUsd: number; runs: number; unpricedCalls: number; budgetStops: number };
  agents: AgentRow[];
  steps: StepRow[];
  /** The costliest steps, at most `--top` of them. */
  topSteps: StepRow[];
  models: ModelRow[];
  runs: RunRow[];
  costPerRun: CostPerRun;
  concentration: Concentration;
  budgets: BudgetRow[];
  budgetStops: BudgetStop[];
  unpriced: UnpricedRow[];
  whatIf: WhatIf | undefined;
  comparison: Comparison | undefined;
  /** The cost tree of the costliest run (or `--run`). */
  costTree: CostTreeNode | undefined;
}
