import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_COSTTRACE_PRICING_STATUS,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  GEN_AI_TOKEN_TYPE_VALUE_INPUT,
  GEN_AI_TOKEN_TYPE_VALUE_OUTPUT,
  type AttributesLike,
} from '@costtrace/semconv';
import { dialectOperation } from './classify-span';
import type { CostMetrics, TokenAttributeSets } from './cost-metrics';
import type { CallCost } from './price-call';

/**
 * Records one counted call (never a duplicate): its cost, or one unpriced call, and its tokens.
 * Done in `onEnding`, whatever the export queue later does with the span.
 */
export function recordCallMetrics(
  metrics: CostMetrics,
  cost: CallCost,
  spanAttributes: AttributesLike,
  agentName: string | undefined,
  spanName: string,
): void {
  const { provider, requestModel, responseModel } = cost.identity;
  if (cost.costed) {
    metrics.cost(cost.pico, cost.bigPico, costKey(metrics, cost.status, provider, requestModel, responseModel, agentName), () => {
      const attributes: Attributes = { [ATTR_COSTTRACE_PRICING_STATUS]: cost.status };
      if (provider !== undefined) attributes[ATTR_GEN_AI_PROVIDER_NAME] = provider;
      if (requestModel !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = requestModel;
      if (responseModel !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = responseModel;
      if (agentName !== undefined) attributes[ATTR_GEN_AI_AGENT_NAME] = agentName;
      return attributes;
    });
  } else {
    const model = requestModel ?? responseModel;
    metrics.unpriced(`${cost.status}\u0001${provider ?? '\u0002'}\u0001${model ?? '\u0002'}`, () => {
      const attributes: Attributes = { [ATTR_COSTTRACE_PRICING_STATUS]: cost.status };
      if (provider !== undefined) attributes[ATTR_GEN_AI_PROVIDER_NAME] = provider;
      if (model !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = model;
      return attributes;
    });
  }
  if (!cost.validTokens) return;
  const op = spanAttributes[ATTR_GEN_AI_OPERATION_NAME];
  const operation = typeof op === 'string' ? op : dialectOperation(spanAttributes, spanName);
  const sets = tokenAttributeSets(metrics, operation, provider, requestModel, responseModel);
  metrics.tokens(cost.inputTokens, sets.input);
  metrics.tokens(cost.outputTokens, sets.output);
}

/**
 * The name of a call's cost attribute set: the last call's string when it had the same status,
 * provider, models and agent (then the sums' map finds it by a hash already computed), else a new one.
 */
function costKey(
  metrics: CostMetrics,
  status: string,
  provider: string | undefined,
  requestModel: string | undefined,
  responseModel: string | undefined,
  agentName: string | undefined,
): string {
  const last = metrics.lastCostKey;
  if (
    last !== undefined &&
    last.status === status &&
    last.provider === provider &&
    last.requestModel === requestModel &&
    last.responseModel === responseModel &&
    last.agentName === agentName
  ) {
    return last.key;
  }
  const key = `${status}\u0001${provider ?? '\u0002'}\u0001${requestModel ?? '\u0002'}\u0001${responseModel ?? '\u0002'}\u0001${agentName ?? '\u0002'}`;
  metrics.lastCostKey = { status, provider, requestModel, responseModel, agentName, key };
  return key;
}

/**
 * The token histogram's attribute sets for a call: the last call's when it had the same
 * operation, provider and models (consecutive calls mostly do), else two new ones, kept for
 * the next call. The metrics SDK only reads them.
 */
function tokenAttributeSets(
  metrics: CostMetrics,
  operation: string | undefined,
  provider: string | undefined,
  requestModel: string | undefined,
  responseModel: string | undefined,
): TokenAttributeSets {
  const last = metrics.lastTokenSets;
  if (
    last !== undefined &&
    last.operation === operation &&
    last.provider === provider &&
    last.requestModel === requestModel &&
    last.responseModel === responseModel
  ) {
    return last;
  }
  const sets: TokenAttributeSets = {
    operation,
    provider,
    requestModel,
    responseModel,
    input: tokenAttributes(GEN_AI_TOKEN_TYPE_VALUE_INPUT, operation, provider, requestModel, responseModel),
    output: tokenAttributes(GEN_AI_TOKEN_TYPE_VALUE_OUTPUT, operation, provider, requestModel, responseModel),
  };
  metrics.lastTokenSets = sets;
  return sets;
}

function tokenAttributes(
  type: string,
  operation: string | undefined,
  provider: string | undefined,
  requestModel: string | undefined,
  responseModel: string | undefined,
): Attributes {
  const attributes: Attributes = { [ATTR_GEN_AI_TOKEN_TYPE]: type };
  if (operation !== undefined) attributes[ATTR_GEN_AI_OPERATION_NAME] = operation;
  if (provider !== undefined) attributes[ATTR_GEN_AI_PROVIDER_NAME] = provider;
  if (requestModel !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = requestModel;
  if (responseModel !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = responseModel;
  return attributes;
}
