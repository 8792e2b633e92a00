import { diag } from '@opentelemetry/api';

const MAX_KEYS = 1024;

/** One `diag.warn` per key (a model, a code path), with a bounded memory of keys. */
export class WarnOnce {
  private readonly _seen = new Set<string>();

  once(key: string, message: string): void {
    if (this._seen.has(key)) return;
    if (this._seen.size >= MAX_KEYS) this._seen.clear();
    this._seen.add(key);
    diag.warn(`BudgetSpanProcessor: ${message}`);
  }
}
