import { propagation, type Context } from '@opentelemetry/api';
import { describeValue } from '@costtrace/pipeline';
import {
  BAGGAGE_COSTTRACE_RUN_LIMIT_USD,
  BAGGAGE_COSTTRACE_RUN_NAME,
  BAGGAGE_COSTTRACE_RUN_ON_EXCEED,
  BAGGAGE_COSTTRACE_RUN_SCOPE,
  BAGGAGE_COSTTRACE_RUN_WARN_RATIO,
  BUDGET_ON_EXCEED_VALUE_WARN,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
} from '@costtrace/semconv';
import type { SpanTree } from '@costtrace/cost-span-processor';
import type { ScopeSpec } from './internal-types';
import { isRatio, isUsd, MAX_USD } from './money';
import type { ProcessorSpan } from './types';
import type { WarnOnce } from './warn-once';

const SCOPE_KEY = /^([0-9a-f]{32})-([0-9a-f]{16})$/;

/**
 * The run budget a call's baggage carries (set by `withRun` in the service that started the run,
 * see the `costtrace.run.*` baggage entries): the same scope key, so a service continuing the
 * trace charges the run's own ledger in a shared store. Undefined without one; a malformed entry
 * is ignored with one warning.
 */
export function remoteRunSpec(parentContext: Context, tree: SpanTree, defaultWarnRatio: number, warn: WarnOnce): ScopeSpec | undefined {
  const baggage = propagation.getBaggage(parentContext);
  const key = baggage?.getEntry(BAGGAGE_COSTTRACE_RUN_SCOPE)?.value;
  if (baggage === undefined || key === undefined) return undefined;
  const match = SCOPE_KEY.exec(key);
  if (!match) {
    warn.once(`bad-remote-run:${key.slice(0, 80)}`, `baggage ${BAGGAGE_COSTTRACE_RUN_SCOPE}=${describeValue(key)} is not {traceId}-{spanId}; no run budget is taken from it`);
    return undefined;
  }
  const rawLimit = baggage.getEntry(BAGGAGE_COSTTRACE_RUN_LIMIT_USD)?.value;
  const limitUsd = rawLimit === undefined || rawLimit.trim() === '' ? Number.NaN : Number(rawLimit);
  if (!isUsd(limitUsd)) {
    warn.once(`bad-remote-limit:${key}`, `baggage ${BAGGAGE_COSTTRACE_RUN_LIMIT_USD}=${describeValue(rawLimit)} of run ${key} is not a number in [0, ${MAX_USD}]; no run budget is taken from it`);
    return undefined;
  }
  const rawRatio = baggage.getEntry(BAGGAGE_COSTTRACE_RUN_WARN_RATIO)?.value;
  const ratio = rawRatio === undefined ? undefined : Number(rawRatio);
  const runName = baggage.getEntry(BAGGAGE_COSTTRACE_RUN_NAME)?.value;
  const [, traceId, spanId] = match as unknown as [string, string, string];
  // In the service that started the run (or two "services" in one process) the run span is here.
  const live = tree.openNode(traceId, spanId)?.span as ProcessorSpan | undefined;
  return {
    key,
    traceId,
    spanId,
    name: live?.name ?? (runName ? `${GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW} ${runName}` : 'run'),
    limitUsd,
    warnRatio: isRatio(ratio) ? ratio : defaultWarnRatio,
    onExceed: baggage.getEntry(BAGGAGE_COSTTRACE_RUN_ON_EXCEED)?.value === BUDGET_ON_EXCEED_VALUE_WARN ? 'warn' : 'abort',
    span: live,
    fromDefault: false,
  };
}
