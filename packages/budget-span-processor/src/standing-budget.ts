import { describeValue } from '@costtrace/pipeline';
import { isRatio, isUsd, MAX_USD, scalePico, usdToPico } from './money';
import { WINDOW_SIZES, type WindowSize } from './standing-window';

/** What a standing budget is keyed by: an attribute of the call, or a baggage entry (`baggage:tenant.id`). */
export type StandingBudgetKey = 'agent' | 'run' | 'model' | 'provider' | `baggage:${string}`;

/**
 * A budget over a time window rather than a span subtree: "the researcher role gets $200 a month".
 * Every call whose key value it covers reserves against it, at the same time as its run and agent
 * budgets. Declared in the budget processor's `standingBudgets` option or in the JSON file named by
 * `COSTTRACE_BUDGETS_FILE` (`{ "budgets": [ … ] }`, the same fields).
 */
export interface StandingBudget {
  /** Unique among standing budgets; part of the scope key (`standing:{name}:{value}:{window start}`). */
  name: string;
  /** Hard limit per window and key value, USD. */
  limitUsd: number;
  /** `1h`, `1d`, `7d` (ISO week, from Monday) or `1mo`. */
  window: WindowSize;
  /**
   * Calendar windows aligned to UTC boundaries (default), or rolling: a ring of buckets (12 × 5 min,
   * 24 × 1 h, 28 × 6 h, 30 × 1 day), spend leaving the window with its bucket.
   * @default false
   */
  rolling?: boolean;
  /**
   * The call's key: `agent` (`gen_ai.agent.name`), `run` (the run's name), `model` (the model asked
   * for), `provider` (`gen_ai.provider.name`), or `baggage:{entry}` (a baggage entry, e.g. a tenant id).
   * A call without a value for it is not under this budget.
   */
  by: StandingBudgetKey;
  /** Only this key value (e.g. one agent's name); absent: every value gets its own limit. */
  value?: string;
  /** Soft limit, share of the hard one. @default the processor's warnRatio */
  warnRatio?: number;
  /** `abort` refuses and stops calls at the limit; `warn` only records. @default 'abort' */
  onExceed?: 'abort' | 'warn';
}

/** A standing budget checked and converted once. */
export interface ResolvedStandingBudget {
  readonly name: string;
  readonly limitUsd: number;
  readonly limitPico: bigint;
  readonly warnRatio: number;
  readonly warnPico: bigint;
  readonly onExceed: 'abort' | 'warn';
  readonly window: WindowSize;
  readonly rolling: boolean;
  readonly by: { readonly kind: 'agent' | 'run' | 'model' | 'provider' } | { readonly kind: 'baggage'; readonly entry: string };
  readonly value: string | undefined;
}

const KEYS = ['agent', 'run', 'model', 'provider'] as const;

/**
 * Checks standing budgets (from code, then the file) and converts them; a bad entry is skipped with
 * one message saying where it came from and what is wrong, never a throw.
 */
export function resolveStandingBudgets(
  entries: readonly { source: string; entry: unknown }[],
  defaultWarnRatio: number,
  warn: (message: string) => void,
): ResolvedStandingBudget[] {
  const out: ResolvedStandingBudget[] = [];
  for (const { source, entry } of entries) {
    const resolved = resolveOne(entry, defaultWarnRatio, (why) => warn(`standing budget ${source}: ${why}; it is not enforced`));
    if (!resolved) continue;
    if (out.some((b) => b.name === resolved.name)) {
      warn(`standing budget ${source}: the name "${resolved.name}" is taken by an earlier one; it is not enforced`);
      continue;
    }
    out.push(resolved);
  }
  return out;
}

function resolveOne(entry: unknown, defaultWarnRatio: number, bad: (why: string) => void): ResolvedStandingBudget | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    bad(`${describeValue(entry)} is not an object`);
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const { name, limitUsd, window, rolling, by, value, warnRatio, onExceed } = e;
  if (typeof name !== 'string' || name === '' || name.includes(':')) {
    bad(`name ${describeValue(name)} is not a non-empty string without ":"`);
    return undefined;
  }
  const named = (why: string): undefined => {
    bad(`"${name}": ${why}`);
    return undefined;
  };
  if (!isUsd(limitUsd)) return named(`limitUsd ${describeValue(limitUsd)} is not a number in [0, ${MAX_USD}]`);
  if (typeof window !== 'string' || !(WINDOW_SIZES as readonly string[]).includes(window)) {
    return named(`window ${describeValue(window)} is not one of ${WINDOW_SIZES.join(', ')}`);
  }
  if (rolling !== undefined && typeof rolling !== 'boolean') return named(`rolling ${describeValue(rolling)} is not true or false`);
  let key: ResolvedStandingBudget['by'];
  if (typeof by === 'string' && (KEYS as readonly string[]).includes(by)) key = { kind: by as (typeof KEYS)[number] };
  else if (typeof by === 'string' && by.startsWith('baggage:') && by.length > 'baggage:'.length) key = { kind: 'baggage', entry: by.slice('baggage:'.length) };
  else return named(`by ${describeValue(by)} is not one of ${KEYS.join(', ')} or baggage:{entry}`);
  if (value !== undefined && (typeof value !== 'string' || value === '')) return named(`value ${describeValue(value)} is not a non-empty string`);
  if (warnRatio !== undefined && !isRatio(warnRatio)) return named(`warnRatio ${describeValue(warnRatio)} is not in (0, 1]`);
  if (onExceed !== undefined && onExceed !== 'abort' && onExceed !== 'warn') return named(`onExceed ${describeValue(onExceed)} is not abort or warn`);
  const known = new Set(['name', 'limitUsd', 'window', 'rolling', 'by', 'value', 'warnRatio', 'onExceed']);
  const unknown = Object.keys(e).filter((k) => !known.has(k));
  if (unknown.length > 0) return named(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (a typo?)`);
  const ratio = (warnRatio as number | undefined) ?? defaultWarnRatio;
  const limitPico = usdToPico(limitUsd);
  return {
    name,
    limitUsd,
    limitPico,
    warnRatio: ratio,
    warnPico: scalePico(limitPico, ratio),
    onExceed: onExceed === 'warn' ? 'warn' : 'abort',
    window: window as WindowSize,
    rolling: rolling === true,
    by: key,
    value: value as string | undefined,
  };
}

/** The budget processor's options for standing budgets (part of `BudgetSpanProcessorOptions`). */
export interface StandingBudgetOptions {
  /**
   * Budgets over time windows, keyed by an attribute of the call (see {@link StandingBudget}).
   * Those of `budgetsFile` are added after these; a name used twice keeps the first.
   * @default []
   */
  standingBudgets?: readonly StandingBudget[];
  /**
   * A JSON file of standing budgets (`{ "budgets": [ … ] }`), read once at construction. A file
   * or entry that is not right is reported with one message and skipped, never a crash.
   * @default env `COSTTRACE_BUDGETS_FILE`, else none
   */
  budgetsFile?: string;
  /**
   * The clock that decides standing budgets' windows, in epoch milliseconds.
   * @default Date.now
   */
  now?: () => number;
}
