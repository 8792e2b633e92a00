import { readFileSync } from 'node:fs';

export const ENV_BUDGETS_FILE = 'COSTTRACE_BUDGETS_FILE';

/**
 * The standing budget entries of the JSON file at `path`: `{ "budgets": [ … ] }` or a bare array.
 * Read once, at start-up. A file that cannot be read or parsed gives one message and no entries
 * (the budgets declared in code still hold); each entry is checked later, on its own.
 */
export function readBudgetsFile(path: string, warn: (message: string) => void): { source: string; entry: unknown }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    warn(`${ENV_BUDGETS_FILE}=${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); its standing budgets are not enforced`);
    return [];
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (err) {
    warn(`${ENV_BUDGETS_FILE}=${path} is not valid JSON (${err instanceof Error ? err.message : String(err)}); its standing budgets are not enforced`);
    return [];
  }
  const list = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null ? (doc as { budgets?: unknown }).budgets : undefined;
  if (!Array.isArray(list)) {
    warn(`${ENV_BUDGETS_FILE}=${path} holds no "budgets" array; no standing budget is read from it`);
    return [];
  }
  return list.map((entry, i) => ({ source: `#${i} of ${path}`, entry }));
}
