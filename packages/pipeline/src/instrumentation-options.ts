import { resolveOption } from './option-precedence';

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

/** `true`/`false` (any case) from an env variable's text; anything else is returned as is (invalid). */
export function parseBoolean(text: string): unknown {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : text;
}

export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isPositive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;

/**
 * The shared options by the one precedence rule ({@link resolveOption}): code, then the
 * environment variable, then the default; a bad value gets one `diag.warn` naming it.
 */
export function resolveSharedOptions(
  config: SharedInstrumentationConfig,
  owner: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedSharedOptions {
  return {
    captureMessageContent: resolveOption(
      {
        name: 'captureMessageContent',
        env: 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT',
        parse: parseBoolean,
        valid: isBoolean,
        fallback: false,
        component: owner,
      },
      config.captureMessageContent,
      env,
    ),
    contentMaxLength: Math.floor(
      resolveOption(
        { name: 'contentMaxLength', env: 'COSTTRACE_CONTENT_MAX_LENGTH', valid: isPositive, fallback: DEFAULT_CONTENT_MAX_LENGTH, component: owner },
        config.contentMaxLength,
        env,
      ),
    ),
    unreadStreamTimeoutMs: Math.floor(
      resolveOption(
        {
          name: 'unreadStreamTimeoutMs',
          env: 'COSTTRACE_UNREAD_STREAM_TIMEOUT_MS',
          valid: isPositive,
          fallback: DEFAULT_UNREAD_STREAM_TIMEOUT_MS,
          component: owner,
        },
        config.unreadStreamTimeoutMs,
        env,
      ),
    ),
    propagateBaggage: resolveOption(
      { name: 'propagateBaggage', valid: isBoolean, fallback: false, component: owner },
      config.propagateBaggage,
      env,
    ),
  };
}
