import type { DiagLogger } from '@opentelemetry/api';
import type { OpenAIInstrumentationConfig } from './types';

export const DEFAULT_CONTENT_MAX_LENGTH = 16_384;
export const DEFAULT_UNREAD_STREAM_TIMEOUT_MS = 60_000;

/** Options with defaults and environment overrides applied. */
export interface ResolvedOptions {
  readonly captureMessageContent: boolean;
  readonly contentMaxLength: number;
  readonly hideInjectedUsageChunk: boolean;
  readonly unreadStreamTimeoutMs: number;
  readonly propagateBaggage: boolean;
}

export function resolveOptions(
  config: OpenAIInstrumentationConfig,
  diag: DiagLogger,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  return {
    captureMessageContent:
      envBoolean(env, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', diag) ?? config.captureMessageContent === true,
    contentMaxLength: positiveInteger(
      envNumber(env, 'COSTTRACE_CONTENT_MAX_LENGTH', diag) ?? config.contentMaxLength,
      DEFAULT_CONTENT_MAX_LENGTH,
      'contentMaxLength',
      diag,
    ),
    hideInjectedUsageChunk:
      envBoolean(env, 'COSTTRACE_OPENAI_HIDE_INJECTED_USAGE', diag) ?? config.hideInjectedUsageChunk !== false,
    unreadStreamTimeoutMs: positiveInteger(
      envNumber(env, 'COSTTRACE_UNREAD_STREAM_TIMEOUT_MS', diag) ?? config.unreadStreamTimeoutMs,
      DEFAULT_UNREAD_STREAM_TIMEOUT_MS,
      'unreadStreamTimeoutMs',
      diag,
    ),
    propagateBaggage: config.propagateBaggage === true,
  };
}

function envBoolean(env: NodeJS.ProcessEnv, name: string, diag: DiagLogger): boolean | undefined {
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
  diag.warn(`OpenAIInstrumentation: ${name}=${String(value)} is not a positive number; using ${fallback}`);
  return fallback;
}
