import { readFileSync } from 'node:fs';
import { BadPriceError, combineLevels, compilePrices } from './compile-prices';
import type { PriceSources, SlotSource } from './compile-prices';
import type { CompiledPrices, NormalizedOverride, OverrideWindow } from './internal-types';
import { parseOverrideTimeOfDay } from './price-windows';
import { catalogProviderAlias } from './provider-names';
import type { ModelPattern, OverridePrices, PriceOverride } from './types';

/** Env var naming a JSON file of price overrides. */
export const PRICES_FILE_ENV = 'COSTTRACE_PRICES_FILE';

/** The key providers are compared by: the catalog id an OTel name maps to, else the name lowercased. */
export function providerKey(name: string): string {
  return catalogProviderAlias(name) ?? name.trim().toLowerCase();
}

/** Normalises overrides; a bad one is skipped with a warning naming it. */
export function normalizeOverrides(
  overrides: readonly unknown[],
  source: string,
  warn: (message: string) => void,
): NormalizedOverride[] {
  const result: NormalizedOverride[] = [];
  overrides.forEach((raw, index) => {
    const normalized = normalizeOverride(raw);
    if (typeof normalized === 'string') warn(`price override ${index} from ${source} ignored: ${normalized}`);
    else result.push(normalized);
  });
  return result;
}

/** Reads overrides from a JSON file: an array, or `{ "overrides": [...] }`. Never throws. */
export function readOverridesFile(path: string, warn: (message: string) => void): NormalizedOverride[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    warn(`price overrides file ${path} ignored: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
  const list = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { overrides?: unknown }).overrides)
      ? ((parsed as { overrides: unknown[] }).overrides)
      : undefined;
  if (!list) {
    warn(`price overrides file ${path} ignored: expected an array of overrides or { "overrides": [...] }`);
    return [];
  }
  return normalizeOverrides(list, path, warn);
}

function normalizeOverride(raw: unknown): NormalizedOverride | string {
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const override = raw as Partial<PriceOverride>;
  const matches = compilePattern(override.model);
  if (typeof matches === 'string') return matches;
  if (override.provider !== undefined && typeof override.provider !== 'string') return 'provider must be a string';
  if (override.serviceTier !== undefined && typeof override.serviceTier !== 'string') return 'serviceTier must be a string';
  if (override.id !== undefined && typeof override.id !== 'string') return 'id must be a string';
  const window = toWindow(override);
  if (typeof window === 'string') return window;
  const compiled = compileOverridePrices(override.prices, override.longContext);
  if (typeof compiled === 'string') return compiled;
  return {
    id: override.id ?? patternLabel(override.model as ModelPattern),
    providerId: override.provider === undefined ? undefined : providerKey(override.provider),
    matches,
    serviceTier: override.serviceTier?.trim().toLowerCase(),
    compiled,
    ...(window ? { window } : {}),
  };
}

function compileOverridePrices(prices: unknown, longContext: unknown): CompiledPrices | string {
  const sources = toSources(prices);
  if (typeof sources === 'string') return sources;
  if (longContext !== undefined && !Array.isArray(longContext)) return 'longContext must be an array of { aboveInputTokens, prices }';
  try {
    const base = compilePrices(sources);
    if (!longContext || longContext.length === 0) return base;
    const tiers: Array<{ thresholdTokens: number; compiled: CompiledPrices }> = [];
    for (const [index, raw] of longContext.entries()) {
      const tier = (typeof raw === 'object' && raw !== null ? raw : {}) as { aboveInputTokens?: unknown; prices?: unknown };
      const threshold = tier.aboveInputTokens;
      if (typeof threshold !== 'number' || !Number.isSafeInteger(threshold) || threshold < 0) {
        return `longContext[${index}].aboveInputTokens must be a non-negative integer`;
      }
      if (tiers.some((t) => t.thresholdTokens === threshold)) return `longContext[${index}] repeats the threshold ${threshold}`;
      const tierSources = toSources(tier.prices);
      if (typeof tierSources === 'string') return `longContext[${index}].${tierSources}`;
      tiers.push({ thresholdTokens: threshold, compiled: compilePrices(tierSources) });
    }
    return combineLevels(base, tiers);
  } catch (err) {
    return err instanceof BadPriceError ? err.message : `could not compile its prices: ${String(err)}`;
  }
}

function toWindow(override: Partial<PriceOverride>): OverrideWindow | undefined | string {
  const window: OverrideWindow = {};
  for (const key of ['from', 'until'] as const) {
    const text = override[key];
    if (text === undefined) continue;
    const ms = typeof text === 'string' ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(ms)) return `${key} must be an ISO 8601 date or date-time`;
    window[key === 'from' ? 'fromMs' : 'untilMs'] = ms;
  }
  if (window.fromMs !== undefined && window.untilMs !== undefined && window.untilMs <= window.fromMs) {
    return 'until must be after from';
  }
  if (override.daily !== undefined) {
    const daily = override.daily as { start?: unknown; end?: unknown } | null;
    const startSec = typeof daily?.start === 'string' ? parseOverrideTimeOfDay(daily.start) : undefined;
    const endSec = typeof daily?.end === 'string' ? parseOverrideTimeOfDay(daily.end) : undefined;
    if (startSec === undefined || endSec === undefined) {
      return 'daily must be { start, end } with times of day like "16:30Z" or "08:00:00+08:00"';
    }
    if (startSec === endSec) return 'daily.start and daily.end must differ';
    window.daily = { startSec, endSec };
  }
  return Object.keys(window).length === 0 ? undefined : window;
}

const PRICE_FIELDS: ReadonlyArray<[keyof OverridePrices, keyof PriceSources, number]> = [
  ['inputPerMTok', 'input', 6],
  ['outputPerMTok', 'output', 6],
  ['cacheReadPerMTok', 'cacheRead', 6],
  ['cacheWritePerMTok', 'cacheWrite', 6],
  ['cacheWrite5mPerMTok', 'cacheWrite5m', 6],
  ['cacheWrite1hPerMTok', 'cacheWrite1h', 6],
  ['inputAudioPerMTok', 'inputAudio', 6],
  ['outputAudioPerMTok', 'outputAudio', 6],
  ['reasoningPerMTok', 'reasoning', 6],
  ['perRequest', 'request', 0],
];

export function toSources(prices: unknown): PriceSources | string {
  if (typeof prices !== 'object' || prices === null) return 'prices must be an object';
  const record = prices as Record<string, unknown>;
  const sources: Record<string, SlotSource> = {};
  for (const [field, slot, perExp] of PRICE_FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return `prices.${field} must be a finite non-negative number`;
    }
    sources[slot] = { value, perExp };
  }
  if (sources.input === undefined || sources.output === undefined) {
    return 'prices.inputPerMTok and prices.outputPerMTok are required';
  }
  return sources as PriceSources;
}

function compilePattern(pattern: unknown): ((modelId: string) => boolean) | string {
  if (typeof pattern === 'string') {
    const id = pattern.trim().toLowerCase();
    return (modelId) => modelId === id;
  }
  if (typeof pattern !== 'object' || pattern === null) return 'model must be a string or a pattern object';
  const p = pattern as Record<string, unknown>;
  const text = (key: string) => (typeof p[key] === 'string' ? (p[key] as string).toLowerCase() : undefined);
  const equals = text('equals');
  if (equals !== undefined) return (modelId) => modelId === equals;
  const startsWith = text('startsWith');
  if (startsWith !== undefined) return (modelId) => modelId.startsWith(startsWith);
  const endsWith = text('endsWith');
  if (endsWith !== undefined) return (modelId) => modelId.endsWith(endsWith);
  const contains = text('contains');
  if (contains !== undefined) return (modelId) => modelId.includes(contains);
  if (typeof p.regex === 'string') {
    let regex: RegExp;
    try {
      regex = new RegExp(p.regex, 'i');
    } catch (err) {
      return `model.regex is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`;
    }
    return (modelId) => regex.test(modelId);
  }
  return 'model pattern needs one of equals, startsWith, endsWith, contains, regex';
}

function patternLabel(pattern: ModelPattern): string {
  if (typeof pattern === 'string') return pattern;
  const [kind, value] = Object.entries(pattern)[0] ?? ['model', ''];
  return `${kind}:${String(value)}`;
}
