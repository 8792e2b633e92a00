import type { DiagLogger } from '@opentelemetry/api';

export const DEFAULT_CONTENT_MAX_LENGTH = 16_384;
export const DEFAULT_UNREAD_STREAM_TIMEOUT_MS = 60_000;

/** The options every costtrace instrumentation shares. */
export interface SharedInstrumentationConfig {
  /** Record prompt and completion text. @default false (env `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`) */
  captureMessageContent?: boolean;
  /** Longest content string recorded, in characters. @default 16384 (env `COSTTRACE_CONTENT_MAX_LENGTH`) */
  contentMaxLength?: number;
  /** A stream not read within this time ends its span as `cancelled`. @default 60000 (env `COSTTRACE_UNREAD_STREAM_TIMEOUT_MS`) */
  unreadStreamTimeoutMs?: number;
  /** Let the caller's baggage reach the provider's API in request headers. @default false */
  propagateBaggage?: boolean;
}

export interface ResolvedSharedOptions {
  readonly captureMessageContent: boolean;
  readonly contentMaxLength: number;
  readonly unreadStreamTimeoutMs: number;
  readonly propagateBaggage: boolean;
}

/**
 * Applies defaults and environment overrides (the environment wins when set).
 * A value it cannot use gets the default and one `diag.warn` naming `owner`.
 */
export function resolveSharedOptions(
  config: SharedInstrumentationConfig,
  owner: string,
  diag: DiagLogger,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSharedOptions {
  return {
    captureMessageContent:
      envBoolean(env, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', diag) ?? config.captureMessageContent === true,
    contentMaxLength: positiveInteger(
      envNumber(env, 'COSTTRACE_CONTENT_MAX_LENGTH', diag) ?? config.contentMaxLength,
      DEFAULT_CONTENT_MAX_LENGTH,
      `${owner}: contentMaxLength`,
      diag,
    ),
    unreadStreamTimeoutMs: positiveInteger(
      envNumber(env, 'COSTTRACE_UNREAD_STREAM_TIMEOUT_MS', diag) ?? config.unreadStreamTimeoutMs,
      DEFAULT_UNREAD_STREAM_TIMEOUT_MS,
      `${owner}: unreadStreamTimeoutMs`,
      diag,
    ),
    propagateBaggage: config.propagateBaggage === true,
  };
}

/** `true`/`false` from an env variable; anything else is ignored with one warning. */
export function envBoolean(env: NodeJS.ProcessEnv, name: string, diag: DiagLogger): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  diag.warn(`${name}=${raw} is neither true nor false; ignored`);
  return undefined;
}

function envNumber(env: NodeJS.ProcessEnv, name: string, diag: DiagLogger): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (Number.isFinite(value)) return value;
  diag.warn(`${name}=${raw} is not a number; ignored`);
  return undefined;
}

function positiveInteger(value: number | undefined, fallback: number, name: string, diag: DiagLogger): number {
  if (value === undefined) return fallback;
  if (Number.isFinite(value) && value > 0) return Math.floor(value);
  diag.warn(`${name}=${String(value)} is not a positive number; using ${fallback}`);
  return fallback;
}
