import { diag } from '@opentelemetry/api';

/**
 * The largest USD amount taken as a budget or a price setting: beyond it (a trillion dollars) a
 * value is a typo or a unit mix-up, not a real budget, and integer pico-USD arithmetic is not
 * exercised there.
 */
export const MAX_USD = 1e12;

/** A usable USD amount: a finite number in [0, {@link MAX_USD}]. `0` is a valid budget. */
export function isUsdAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_USD;
}

/** A usable soft-limit ratio: a number in (0, 1]. */
export function isWarnRatio(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && value <= 1;
}

/** A value as a warning names it: numbers as JS prints them (`NaN`, `1e+21`), the rest as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** How one option is read. */
export interface OptionSpec<T> {
  /** The option's name in code, as the warning names it (`warnRatio`). */
  readonly name: string;
  /** The environment variable that sets it when code does not. */
  readonly env?: string;
  /** Turns the env var's text into a candidate value (default: `Number(text)`). */
  readonly parse?: (text: string) => unknown;
  /** Whether a candidate value is usable. */
  readonly valid: (value: unknown) => boolean;
  /** Used when neither code nor env gives a usable value. */
  readonly fallback: T;
  /** Prefix of the warning (`BudgetSpanProcessor`). */
  readonly component: string;
}

/**
 * The one precedence rule for every costtrace option: the value given in code, else the
 * environment variable, else the default. A value that is given but unusable is skipped with one
 * `diag.warn` naming it and saying what is used instead (the next source, or the default), the way
 * the OpenTelemetry SDK treats its own bad options; it never throws.
 */
export function resolveOption<T>(spec: OptionSpec<T>, fromCode: unknown, env: Readonly<Record<string, string | undefined>>): T {
  const raw = spec.env === undefined ? undefined : env[spec.env];
  const text = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  const fromEnv = text === undefined ? undefined : (spec.parse ?? Number)(text);
  const envUsable = text !== undefined && spec.valid(fromEnv);
  if (fromCode !== undefined) {
    if (spec.valid(fromCode)) return fromCode as T;
    const instead = envUsable ? `env ${spec.env}=${text}` : `the default ${describeValue(spec.fallback)}`;
    diag.warn(`${spec.component}: ${spec.name} ${describeValue(fromCode)} is not valid; using ${instead}`);
  }
  if (text !== undefined) {
    if (envUsable) return fromEnv as T;
    diag.warn(`${spec.component}: env ${spec.env}=${JSON.stringify(raw)} is not valid; using the default ${describeValue(spec.fallback)}`);
  }
  return spec.fallback;
}
