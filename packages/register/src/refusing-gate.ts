import { BudgetExceededError, getScopes, type CallGate, type CallTicket, type GateCall } from '@costtrace/pipeline';

const FREE: CallTicket = { end() {} };

/**
 * The call gate when costtrace cannot see the app's spans (a tracer provider of a kind it cannot
 * join was registered first): it cannot count spend, so a call under a budget that travels in the
 * Context (`withRun`/`withAgent`) is refused with a message saying why, never sent unchecked. A
 * call under no budget goes out.
 */
export class RefusingGate implements CallGate {
  constructor(private readonly _why: string) {}

  begin(call: GateCall): CallTicket {
    const budgets = getScopes(call.parentContext).budgets;
    const scope = budgets[budgets.length - 1];
    if (scope === undefined) return FREE;
    throw new BudgetExceededError({
      scope: { traceId: scope.traceId, spanId: scope.spanId, name: scope.name },
      limitUsd: scope.limitUsd,
      spentUsd: 0,
      action: 'refused',
      call: { provider: call.provider, model: call.requestModel },
      message: `costtrace refused a ${call.provider} ${call.requestModel} call under budget "${scope.name}": ${this._why}`,
    });
  }
}
