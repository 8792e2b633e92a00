import { diag, metrics, type MeterProvider } from '@opentelemetry/api';
import { resolveOption } from '@costtrace/pipeline';
import { getDefaultCatalog, type PriceCatalog } from '@costtrace/pricing';
import { ENV_BUDGETS_FILE, readBudgetsFile } from './budgets-file';
import { InMemoryBudgetStore } from './in-memory-budget-store';
import { isRatio, isUsd, usdToPico } from './money';
import { resolveStandingBudgets, type ResolvedStandingBudget } from './standing-budget';
import type { BudgetSpanProcessorOptions, BudgetStore, UnpricedPolicy } from './types';

export const ENV_DEFAULT_RUN_BUDGET_USD = 'COSTTRACE_DEFAULT_RUN_BUDGET_USD';
export const ENV_OUTPUT_ALLOWANCE_TOKENS = 'COSTTRACE_BUDGET_OUTPUT_ALLOWANCE_TOKENS';
export const ENV_WARN_RATIO = 'COSTTRACE_BUDGET_WARN_RATIO';
export const ENV_UNPRICED_POLICY = 'COSTTRACE_BUDGET_UNPRICED_POLICY';
export const ENV_UNPRICED_FALLBACK = 'COSTTRACE_BUDGET_UNPRICED_FALLBACK_USD_PER_MTOK';
export const ENV_DOWNGRADES = 'COSTTRACE_BUDGET_DOWNGRADES';

const DEFAULT_OUTPUT_ALLOWANCE = 1024;
const DEFAULT_WARN_RATIO = 0.8;
const DEFAULT_FALLBACK_USD_PER_MTOK = 75;
const DEFAULT_MAX_OPEN_SPANS = 100_000;
const DEFAULT_STALE_AFTER_MS = 3_600_000;

/** Options with every default resolved, once, in the constructor. */
export interface ResolvedOptions {
  readonly defaultRunBudgetUsd: number | undefined;
  readonly defaultRunBudgetPico: bigint | undefined;
  readonly outputAllowanceTokens: number;
  readonly warnRatio: number;
  readonly unpricedPolicy: UnpricedPolicy;
  /** Pico-USD per token of the `reserve` fallback. */
  readonly fallbackPicoPerToken: bigint;
  readonly downgrades: ReadonlyMap<string, string>;
  readonly store: BudgetStore;
  readonly catalog: PriceCatalog;
  readonly meterProvider: MeterProvider;
  readonly maxOpenSpans: number;
  readonly staleAfterMs: number;
  readonly standingBudgets: readonly ResolvedStandingBudget[];
  /** The clock of standing budgets' windows. */
  readonly now: () => number;
}

const warn = (message: string): void => diag.warn(`BudgetSpanProcessor: ${message}`);

export function resolveOptions(options: BudgetSpanProcessorOptions, env: NodeJS.ProcessEnv): ResolvedOptions {
  const opt = <T>(name: string, fromCode: unknown, envName: string | undefined, valid: (v: unknown) => boolean, fallback: T, parse?: (t: string) => unknown): T =>
    resolveOption<T>({ name, component: 'BudgetSpanProcessor', valid, fallback, ...(envName === undefined ? {} : { env: envName }), ...(parse ? { parse } : {}) }, fromCode, env);
  const defaultRun = opt<number | undefined>('defaultRunBudgetUsd', options.defaultRunBudgetUsd, ENV_DEFAULT_RUN_BUDGET_USD, isUsd, undefined);
  const allowance = opt('outputAllowanceTokens', options.outputAllowanceTokens, ENV_OUTPUT_ALLOWANCE_TOKENS, isTokenCount, DEFAULT_OUTPUT_ALLOWANCE);
  const warnRatio = opt('warnRatio', options.warnRatio, ENV_WARN_RATIO, isRatio, DEFAULT_WARN_RATIO);
  const fallback = opt('unpricedFallbackUsdPerMTok', options.unpricedFallbackUsdPerMTok, ENV_UNPRICED_FALLBACK, isUsd, DEFAULT_FALLBACK_USD_PER_MTOK);
  const policy = opt<UnpricedPolicy>('unpricedPolicy', options.unpricedPolicy, ENV_UNPRICED_POLICY, isPolicy, 'refuse', (t) => t);

  const downgrades = new Map<string, string>();
  const rawDowngrades: unknown = options.downgrades ?? parseDowngrades(env[ENV_DOWNGRADES]);
  if (rawDowngrades !== undefined) {
    if (typeof rawDowngrades === 'object' && rawDowngrades !== null) {
      for (const [from, to] of Object.entries(rawDowngrades)) {
        if (typeof to === 'string' && to !== '' && to !== from) downgrades.set(from, to);
        else warn(`downgrades["${from}"] is not another model id; ignored`);
      }
    } else {
      warn('downgrades must be an object of model ids; ignored');
    }
  }

  const maxOpenSpans = opt('maxOpenSpans', options.maxOpenSpans, undefined, isPositiveInt, DEFAULT_MAX_OPEN_SPANS);
  const staleAfterMs = opt('staleAfterMs', options.staleAfterMs, undefined, isPositiveInt, DEFAULT_STALE_AFTER_MS);

  return {
    defaultRunBudgetUsd: defaultRun,
    defaultRunBudgetPico: defaultRun === undefined ? undefined : usdToPico(defaultRun),
    outputAllowanceTokens: allowance,
    warnRatio,
    unpricedPolicy: policy,
    // $/MTok → pico-USD per token: × 1e12 / 1e6.
    fallbackPicoPerToken: usdToPico(fallback) / 1_000_000n,
    downgrades,
    store: options.store ?? new InMemoryBudgetStore(),
    catalog: options.catalog ?? getDefaultCatalog(),
    meterProvider: options.meterProvider ?? metrics.getMeterProvider(),
    maxOpenSpans,
    staleAfterMs,
    standingBudgets: resolveStanding(options, env, warnRatio),
    now: resolveClock(options.now),
  };
}

function resolveClock(now: unknown): () => number {
  if (typeof now === 'function') return now as () => number;
  if (now !== undefined) warn('now is not a function returning epoch milliseconds; Date.now is used');
  return Date.now;
}

/** Standing budgets from code, then from the budgets file; each bad entry is skipped with one warning. */
function resolveStanding(options: BudgetSpanProcessorOptions, env: NodeJS.ProcessEnv, warnRatio: number): ResolvedStandingBudget[] {
  const entries: { source: string; entry: unknown }[] = [];
  const fromCode: unknown = options.standingBudgets;
  if (Array.isArray(fromCode)) fromCode.forEach((entry: unknown, i) => entries.push({ source: `standingBudgets[${i}]`, entry }));
  else if (fromCode !== undefined) warn('standingBudgets is not an array; ignored');
  const file = typeof options.budgetsFile === 'string' && options.budgetsFile !== '' ? options.budgetsFile : env[ENV_BUDGETS_FILE]?.trim();
  if (file) entries.push(...readBudgetsFile(file, warn));
  return resolveStandingBudgets(entries, warnRatio, warn);
}

function isTokenCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPositiveInt(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isPolicy(value: unknown): boolean {
  return value === 'refuse' || value === 'reserve' || value === 'allow';
}

/**
 * `COSTTRACE_BUDGET_DOWNGRADES`: `from=to` pairs separated by commas
 * (`claude-opus-4-7=claude-haiku-4-5,gpt-4.1=gpt-4.1-mini`), or a JSON object.
 */
function parseDowngrades(raw: string | undefined): unknown {
  const text = raw?.trim();
  if (!text) return undefined;
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      warn(`${ENV_DOWNGRADES} is not valid JSON; ignored`);
      return undefined;
    }
  }
  const map: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [from, to, ...rest] = pair.split('=').map((p) => p.trim());
    if (!from || !to || rest.length > 0) {
      warn(`${ENV_DOWNGRADES} entry "${pair}" is not from=to; ignored`);
      continue;
    }
    map[from] = to;
  }
  return map;
}
