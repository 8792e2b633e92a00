export { BudgetExceededError, findBudgetExceededError, isBudgetExceededError } from './budget-exceeded-error';
export { CallAbort } from './call-abort';
export { getCallGate, reportUnpatchedModule, setCallGate, unpatchedModules } from './call-gate';
export { globalSlot } from './global-slot';
export type { GlobalSlot } from './global-slot';
export { errorType, InferenceCall } from './inference-call';
export type { CallEnd, InferenceCallInit } from './inference-call';
export { observeStream } from './observe-stream';
export type { StreamHooks } from './observe-stream';
export { endOpenCalls, openCallCount } from './open-calls';
export type {
  BudgetExceededErrorInit,
  BudgetScopeRef,
  BudgetStopAction,
  CallEstimate,
  CallGate,
  CallOutcome,
  CallResult,
  CallTicket,
  GateCall,
  StoppedCallRef,
  UnpatchedModule,
} from './types';
export { usageAttributes } from './usage-attributes';
export { currentCost, getCostLedger, setCostLedger } from './cost-ledger';
export type { CostLedger, CurrentCost, SpendSoFar } from './cost-ledger';
export { EMPTY_SCOPES, getScopes, setScopes } from './scope-context';
export type { AgentScope, BudgetScope, CostScopes, RunScope } from './scope-context';
export { withAgent, withRun, withStep } from './scoped-spans';
export type { AgentOptions, BudgetOptions, RunOptions, StepOptions } from './scoped-spans';
export { isWrappedBy, unwrapMethod, wrapMethod } from './method-wrapper';
export {
  DEFAULT_CONTENT_MAX_LENGTH,
  DEFAULT_UNREAD_STREAM_TIMEOUT_MS,
  envBoolean,
  resolveSharedOptions,
} from './instrumentation-options';
export type { ResolvedSharedOptions, SharedInstrumentationConfig } from './instrumentation-options';
