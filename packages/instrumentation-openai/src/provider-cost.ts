import type { Attributes } from '@opentelemetry/api';
import { ATTR_COSTTRACE_PROVIDER_COST_USD } from '@costtrace/semconv';

/**
 * `costtrace.provider.cost_usd` from a usage block that carries the provider's own price:
 * OpenRouter adds `usage.cost` (USD credits) to chat completions, completions and Responses
 * usage (https://openrouter.ai/docs/use-cases/usage-accounting). Empty when there is none
 * or it is not a plausible amount.
 */
export function providerCostAttributes(usage: unknown): Attributes {
  if (typeof usage !== 'object' || usage === null) return {};
  const cost = (usage as Record<string, unknown>)['cost'];
  return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { [ATTR_COSTTRACE_PROVIDER_COST_USD]: cost } : {};
}
