import type { BudgetStoreEvent } from '@costtrace/budget-span-processor';
import { fromNano, type SharedScope } from './shared-scope';

const MAX_REMEMBERED_STOPS = 10_000;

/**
 * The store's pub/sub channel as this process hears it: operator stops and resumes, and
 * crossings of a limit announced by the script, handed to the processor's listener.
 */
export class StoreEvents {
  private readonly _listeners = new Set<(event: BudgetStoreEvent) => void>();
  /** Operator stops heard for scopes this process has not opened (yet); bounded. */
  private readonly _stopped = new Set<string>();

  constructor(
    private readonly _scopes: ReadonlyMap<string, SharedScope>,
    /** Asks for a fresh sync of a scope (the others' spend after a crossing). */
    private readonly _refresh: (scope: SharedScope) => void,
  ) {}

  stoppedElsewhere(key: string): boolean {
    return this._stopped.has(key);
  }

  watch(listener: (event: BudgetStoreEvent) => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  message(message: string): void {
    let event: { t?: unknown; k?: unknown; s?: unknown; r?: unknown };
    try {
      event = JSON.parse(message) as typeof event;
    } catch {
      return;
    }
    const key = typeof event.k === 'string' ? event.k : undefined;
    if (key === undefined) return;
    const scope = this._scopes.get(key);
    if (event.t === 'stop') {
      if (this._stopped.size >= MAX_REMEMBERED_STOPS) this._stopped.delete(this._stopped.values().next().value as string);
      this._stopped.add(key);
      if (scope) scope.stopped = true;
      this.emit({ kind: 'stopped', key });
    } else if (event.t === 'resume') {
      this._stopped.delete(key);
      if (scope) scope.stopped = false;
      this.emit({ kind: 'resumed', key });
    } else if (event.t === 'x' && scope) {
      this.emit({ kind: 'crossed', key, spentPico: fromNano(String(event.s)) + fromNano(String(event.r)) });
      this._refresh(scope);
    }
  }

  emit(event: BudgetStoreEvent): void {
    for (const listener of this._listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the others still hear.
      }
    }
  }
}
