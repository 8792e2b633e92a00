import { RedisBudgetStore } from './redis-budget-store';
import type { ScopeListing } from './scope-listing';
import { ENV_BUDGET_STORE, isRedisUrl } from './store-options';

/** Where `costtrace budget` writes, and the environment it reads `COSTTRACE_BUDGET_STORE` from. */
export interface BudgetCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

const USAGE = `usage: costtrace budget list [--json] [--store redis://host:port/db]
       costtrace budget stop <scope> [--store …]
       costtrace budget resume <scope> [--store …]
<scope> is a key as \`list\` prints it ({traceId}-{spanId} of a run or agent budget, or a standing
budget's key), or a budget's name as \`list\` prints it (every scope of that name). The store
defaults to COSTTRACE_BUDGET_STORE.
`;

/**
 * `costtrace budget list | stop <scope> | resume <scope>` against the shared store. Returns the
 * exit code: 0 done, 1 failed (store unreachable, no such scope), 2 bad usage.
 */
export async function runBudgetCommand(argv: readonly string[], io: BudgetCommandIo): Promise<number> {
  const args = [...argv];
  let url = io.env[ENV_BUDGET_STORE];
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--store') url = args[++i];
    else if (a.startsWith('--store=')) url = a.slice('--store='.length);
    else if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      io.stdout.write(USAGE);
      return 0;
    } else rest.push(a);
  }
  const [verb, target, ...extra] = rest;
  const needsScope = verb === 'stop' || verb === 'resume';
  if ((verb !== 'list' && !needsScope) || (needsScope && !target) || extra.length > 0 || (verb === 'list' && target)) {
    io.stderr.write(USAGE);
    return 2;
  }
  if (!url || !isRedisUrl(url)) {
    io.stderr.write(`costtrace budget: no shared store: pass --store redis://host:port/db or set ${ENV_BUDGET_STORE}\n`);
    return 2;
  }
  const store = new RedisBudgetStore({ url, timeoutMs: 3000 });
  try {
    const scopes = await store.list();
    if (verb === 'list') {
      io.stdout.write(json ? `${JSON.stringify(scopes)}\n` : formatTable(scopes));
      return 0;
    }
    const keys = resolveScope(target!, scopes);
    if (keys.length === 0) {
      io.stderr.write(`costtrace budget: no scope "${target}" in ${store.label} (see costtrace budget list)\n`);
      return 1;
    }
    for (const key of keys) {
      if (verb === 'stop') await store.stop(key);
      else await store.resume(key);
    }
    const done = verb === 'stop' ? 'stopped' : 'resumed';
    io.stdout.write(`${done} ${keys.length} scope${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`costtrace budget: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await store.shutdown();
  }
}

/**
 * The operator's name for a scope: its key, else every scope whose name is it. A key no process
 * has written yet is taken as it is when it looks like one (a span's `{traceId}-{spanId}`, or a
 * `standing:` key), so a scope can be stopped before its first call.
 */
export function resolveScope(target: string, scopes: readonly ScopeListing[]): string[] {
  if (scopes.some((s) => s.key === target)) return [target];
  const named = scopes.filter((s) => s.name === target).map((s) => s.key);
  if (named.length > 0) return named;
  if (/^[0-9a-f]{32}-[0-9a-f]{16}$/.test(target) || target.startsWith('standing:')) return [target];
  return [];
}

function formatTable(scopes: readonly ScopeListing[]): string {
  if (scopes.length === 0) return 'no shared budget scopes\n';
  const rows = scopes.map((s) => [
    s.key,
    s.name ?? '',
    s.limitUsd.toFixed(6),
    s.spentUsd.toFixed(6),
    s.reservedUsd.toFixed(6),
    s.window ?? '',
    s.stopped ? 'stopped' : '',
  ]);
  const head = ['SCOPE', 'NAME', 'LIMIT_USD', 'SPENT_USD', 'RESERVED_USD', 'WINDOW', 'STATE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n';
  return line(head) + rows.map(line).join('');
}
