// The user API. The plumbing the instrumentations and processors share lives in
// @costtrace/pipeline; the error class and its helpers are re-exported from there
// so there is one class, whichever package threw it.
export { BudgetExceededError, findBudgetExceededError, isBudgetExceededError } from '@costtrace/pipeline';
export type {
  BudgetExceededErrorInit,
  BudgetScopeRef,
  BudgetStopAction,
  SpendSoFar,
  StoppedCallRef,
} from '@costtrace/pipeline';
export { currentCost } from './current-cost';
export type { CurrentCost } from './current-cost';
export { withAgent, withRun, withStep } from './scoped-spans';
export type { AgentOptions, BudgetOptions, RunOptions, StepOptions } from './scoped-spans';
