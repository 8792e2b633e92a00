export { BudgetExceededError, findBudgetExceededError, isBudgetExceededError } from './budget-exceeded-error';
export { CallAbort } from './call-abort';
export { lazyEstimate } from './call-codec';
export type { CallCodec, CallSink } from './call-codec';
export { CallLifecycle } from './call-lifecycle';
export type { CallLifecycleInit, StreamTarget } from './call-lifecycle';
export { claimOwnedRequest, getCallOwner, inSyncWindow, ownedByOpenCall, setCallOwner, setOwningCall, syncOwner } from './call-ownership';
export type { CallOwner, OwningCall } from './call-ownership';
export { clearUnpatchedModules, getCallGate, reportUnpatchedModule, setCallGate, unpatchedModules } from './call-gate';
export { getCostLedger, setCostLedger } from './cost-ledger';
export { errorType, InferenceCall } from './inference-call';
export { frameworkAgentName, setAgentNameSource } from './framework-agent';
export type { AgentNameSource } from './framework-agent';
export { MAX_ERROR_MESSAGE_LENGTH, spanErrorMessage } from './span-error-message';
export type { CallEnd, InferenceCallInit } from './inference-call';
export {
  DEFAULT_CONTENT_MAX_LENGTH,
  DEFAULT_UNREAD_STREAM_TIMEOUT_MS,
  isBoolean,
  parseBoolean,
  resolveSharedOptions,
} from './instrumentation-options';
export type { ResolvedSharedOptions, SharedInstrumentationConfig } from './instrumentation-options';
export { isWrappedBy, unwrapMethod, wrapMethod } from './method-wrapper';
export { asObject, isRecord, tokenCount } from './json-values';
export { serverAttributes, serverAttributesOf } from './server-attributes';
export { patchSupportedVersion } from './unsupported-version';
export type { SupportedModule } from './unsupported-version';
export { describeValue, isUsdAmount, isWarnRatio, MAX_USD, resolveOption } from './option-precedence';
export type { OptionSpec } from './option-precedence';
export { filterStream, observeStream } from './observe-stream';
export type { StreamHooks } from './observe-stream';
export { endOpenCalls, openCallCount } from './open-calls';
export { registry } from './registry';
export type { CostLedger, CostTraceRegistry, OpenCall, SpendSoFar } from './registry';
export { EMPTY_SCOPES, getScopes, setScopes } from './scope-context';
export type { AgentScope, BudgetScope, CostScopes, RunScope } from './scope-context';
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
