import { tokenCount as count, type GateCall, type StoppedCallRef } from '@costtrace/pipeline';
import { picoToUsd } from '@costtrace/pricing';
import { FallbackPricing, FREE_PRICING, type CallPricing } from './call-pricing';
import type { LocalScope } from './internal-types';
import type { ResolvedOptions } from './options';
import type { WarnOnce } from './warn-once';

/** What the unpriced policy needs of the gate. */
export interface UnpricedHost {
  readonly options: ResolvedOptions;
  readonly warn: WarnOnce;
  refuse(call: GateCall, scope: LocalScope, callRef: StoppedCallRef, message?: string): never;
}

/**
 * A call to a model with no price (or no estimate) under a budget, by policy: `refuse` it with a
 * message naming the price override to add, `reserve` a fallback price per token, or `allow` it
 * uncounted. Each path warns once per model.
 */
export function admitUnpriced(
  host: UnpricedHost,
  call: GateCall,
  model: string,
  scopes: readonly LocalScope[],
  callRef: StoppedCallRef,
  estimate: { status: string; reason?: string },
): { reservation: bigint; pricing: CallPricing } {
  const label = `${call.provider}/${model}`;
  const why = estimate.status === 'unpriced' ? 'has no price' : `cannot be estimated (${estimate.reason ?? estimate.status})`;
  const enforcing = scopes.filter((s) => s.onExceed === 'abort');
  const policy = host.options.unpricedPolicy;
  if (policy === 'refuse' && enforcing.length > 0) {
    const scope = enforcing[enforcing.length - 1]!;
    const message =
      `costtrace budget "${scope.ref.name}" refused a ${call.provider} ${model} call: the model ${why}, so the budget ` +
      `cannot be enforced; add a price override for ${label} via COSTTRACE_PRICES_FILE or PriceCatalog overrides ` +
      `(or set the BudgetSpanProcessor's unpricedPolicy to 'reserve' or 'allow')`;
    host.warn.once(`unpriced:${label}`, message);
    host.refuse(call, scope, callRef, message);
  }
  if (policy === 'reserve') {
    const e = call.estimate;
    const output = (count(e.maxOutputTokens) ?? host.options.outputAllowanceTokens) * Math.max(1, count(e.choices) ?? 1);
    const tokens = BigInt((count(e.inputTokens) ?? 0) + output);
    host.warn.once(
      `unpriced:${label}`,
      `${label} ${why}; calls to it under a budget are reserved and charged at the fallback price ` +
        `(${picoToUsd(host.options.fallbackPicoPerToken * 1_000_000n)} USD per million tokens). Add a price override to count them exactly`,
    );
    return { reservation: tokens * host.options.fallbackPicoPerToken, pricing: new FallbackPricing(host.options.fallbackPicoPerToken) };
  }
  host.warn.once(`unpriced:${label}`, `${label} ${why}; calls to it under a budget are allowed and not counted. Add a price override to count them`);
  return { reservation: 0n, pricing: FREE_PRICING };
}

