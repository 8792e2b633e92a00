import { diag } from '@opentelemetry/api';
import { resolveOption } from '@costtrace/pipeline';
import type { CostSpanProcessorOptions } from './types';

export const ENV_BAGGAGE_KEYS = 'COSTTRACE_BAGGAGE_KEYS';
export const ENV_STATE_TTL_MS = 'COSTTRACE_STATE_TTL_MS';
export const ENV_MAX_TRACKED_SPANS = 'COSTTRACE_MAX_TRACKED_SPANS';

export const DEFAULT_STATE_TTL_MS = 3_600_000;
export const DEFAULT_MAX_TRACKED_SPANS = 100_000;

export interface ResolvedOptions {
  baggageKeys: readonly string[];
  stateTtlMs: number;
  maxTrackedSpans: number;
}

/** The shared span tree's bounds from the cost processor's options (else env, else defaults). */
export function resolveTreeOptions(options: CostSpanProcessorOptions, env: NodeJS.ProcessEnv): { ttlMs: number; maxSpans: number } {
  return {
    ttlMs: positiveInteger('stateTtlMs', ENV_STATE_TTL_MS, options.stateTtlMs, env, DEFAULT_STATE_TTL_MS),
    maxSpans: positiveInteger('maxTrackedSpans', ENV_MAX_TRACKED_SPANS, options.maxTrackedSpans, env, DEFAULT_MAX_TRACKED_SPANS),
  };
}

export function resolveBaggageKeys(options: CostSpanProcessorOptions, env: NodeJS.ProcessEnv): readonly string[] {
  return baggageKeys(options.baggageKeys, env[ENV_BAGGAGE_KEYS]);
}

/** Options, else env, else defaults; a bad value gets one `diag.warn` and the default. */
export function resolveOptions(options: CostSpanProcessorOptions, env: NodeJS.ProcessEnv): ResolvedOptions {
  return {
    baggageKeys: baggageKeys(options.baggageKeys, env[ENV_BAGGAGE_KEYS]),
    stateTtlMs: positiveInteger('stateTtlMs', ENV_STATE_TTL_MS, options.stateTtlMs, env, DEFAULT_STATE_TTL_MS),
    maxTrackedSpans: positiveInteger('maxTrackedSpans', ENV_MAX_TRACKED_SPANS, options.maxTrackedSpans, env, DEFAULT_MAX_TRACKED_SPANS),
  };
}

function baggageKeys(option: unknown, fromEnv: string | undefined): readonly string[] {
  if (option !== undefined) {
    if (Array.isArray(option) && option.every((k) => typeof k === 'string')) {
      return Object.freeze([...new Set(option.map((k: string) => k.trim()).filter((k) => k !== ''))]);
    }
    diag.warn('CostSpanProcessor: baggageKeys must be an array of strings; no baggage is copied');
    return [];
  }
  if (!fromEnv) return [];
  return Object.freeze([...new Set(fromEnv.split(',').map((k) => k.trim()).filter((k) => k !== ''))]);
}

function positiveInteger(name: string, envName: string, option: unknown, env: NodeJS.ProcessEnv, fallback: number): number {
  return resolveOption({ name, env: envName, component: 'CostSpanProcessor', valid: isPositiveInt, fallback }, option, env);
}

function isPositiveInt(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
