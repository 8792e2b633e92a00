import type { CallResult } from '@costtrace/pipeline';
import { ATTR_COSTTRACE_BUDGET_SCOPE } from '@costtrace/semconv';
import type { CallCost } from '@costtrace/cost-span-processor';
import type { BudgetTicket, TicketOwner } from './budget-ticket';
import type { LocalScope, ScopeSpec } from './internal-types';
import type { LimitWatch } from './limit-watch';
import type { ResolvedOptions } from './options';
import type { ScopeBook } from './scope-book';
import type { SpanTree } from '@costtrace/cost-span-processor';

/**
 * Money moving after admission: running usage charged as it arrives, a call settled to its real
 * cost when it ends (with its span's price, when a cost processor hands it over), and the cost of
 * a call that passed no gate charged after the fact.
 */
export class Charging implements TicketOwner {
  /** Calls that ended, settled when their span ends (bounded by the calls in flight). */
  private readonly _pending = new Map<object, { ticket: BudgetTicket; result: CallResult }>();

  constructor(
    private readonly _options: ResolvedOptions,
    private readonly _tree: SpanTree,
    private readonly _book: ScopeBook,
    private readonly _watch: LimitWatch,
    /** A cost processor hands this processor each call's price (settle at span end, priced once). */
    private readonly _settleAtSpanEnd: boolean,
  ) {}

  charge(ticket: BudgetTicket, runPico: bigint): void {
    const held = runPico > ticket.reservedPico ? runPico : ticket.reservedPico;
    const heldDelta = held - ticket.heldPico;
    const runDelta = runPico - ticket.runPico;
    if (heldDelta === 0n && runDelta === 0n) return;
    ticket.heldPico = held;
    ticket.runPico = runPico;
    this._options.store.charge(ticket.keys, heldDelta, runDelta);
    this._watch.check(ticket.scopes);
  }

  settle(ticket: BudgetTicket, costPico: bigint): void {
    this._options.store.settle(ticket.keys, ticket.heldPico, ticket.runPico, costPico);
    ticket.heldPico = 0n;
    ticket.runPico = 0n;
    const now = Date.now();
    for (const scope of ticket.scopes) {
      scope.inflight.delete(ticket);
      scope.lastActiveMs = now;
    }
    if (ticket.abortedBy) ticket.call.span.setAttribute(ATTR_COSTTRACE_BUDGET_SCOPE, ticket.abortedBy.ref.name);
    // A non-streaming call can settle above its reservation: that may cross a limit.
    this._watch.check(ticket.scopes);
  }

  /**
   * Counts the cost of a call that passed no gate (an uninstrumented path) after the fact.
   * `inLedger`: the cost ledger's totals include the call already, so a scope this charge opens
   * (seeded from the ledger) holds it and is not charged it a second time.
   */
  chargeAfterTheFact(specs: readonly ScopeSpec[], costPico: bigint, inLedger: boolean): void {
    const now = Date.now();
    const scopes: LocalScope[] = [];
    const keys: string[] = [];
    for (const spec of specs) {
      const fresh = this._book.scope(spec.key) === undefined;
      const scope = this._book.openScope(spec, now);
      if (!scope) continue;
      scopes.push(scope);
      if (!(fresh && inLedger && scope.seededFromLedger)) keys.push(scope.key);
    }
    this._options.store.settle(keys, 0n, 0n, costPico);
    this._watch.check(scopes);
  }

  /** Settles a call that ended (its ticket) with its span's price; see BudgetTicket.finish. */
  defer(ticket: BudgetTicket, result: CallResult): boolean {
    if (!this._settleAtSpanEnd) return false;
    const span = ticket.call.span;
    const ctx = span.spanContext();
    // Only a span the tree holds open gets its onEnding/onEnd here.
    if (!this._tree.openNode(ctx.traceId, ctx.spanId)) return false;
    this._pending.set(span, { ticket, result });
    return true;
  }

  /** Settles the call whose span is ending, if its ticket waits for it. */
  settlePending(span: object, priced: CallCost | undefined): void {
    const pending = this._pending.get(span);
    if (!pending) return;
    this._pending.delete(span);
    pending.ticket.finish(pending.result, priced);
  }

  /** Settles every call still waiting for its span (shutdown). */
  clear(): void {
    for (const { ticket, result } of this._pending.values()) ticket.finish(result, undefined);
    this._pending.clear();
  }
}
