import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSharedOptions } from '../src/instrumentation-options';

const warnings: string[] = [];
const noop = () => {};
diag.setLogger({ error: noop, warn: (m: string) => warnings.push(m), info: noop, debug: noop, verbose: noop }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
afterEach(() => {
  warnings.length = 0;
});

const DEFAULTS = { captureMessageContent: false, contentMaxLength: 16_384, unreadStreamTimeoutMs: 60_000, propagateBaggage: false };

describe('the instrumentations\' shared options follow the one rule: code, then env, then default', () => {
  it('takes the value given in code over the environment variable', () => {
    const env = { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true', COSTTRACE_CONTENT_MAX_LENGTH: '10', COSTTRACE_UNREAD_STREAM_TIMEOUT_MS: '7' };
    expect(resolveSharedOptions({ captureMessageContent: false, contentMaxLength: 99, unreadStreamTimeoutMs: 5 }, 'Test', env)).toEqual({
      ...DEFAULTS,
      contentMaxLength: 99,
      unreadStreamTimeoutMs: 5,
    });
    expect(warnings).toEqual([]);
  });

  it('takes the environment variable when code gives nothing', () => {
    const env = { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'TRUE', COSTTRACE_CONTENT_MAX_LENGTH: '10.7', COSTTRACE_UNREAD_STREAM_TIMEOUT_MS: '7' };
    expect(resolveSharedOptions({}, 'Test', env)).toEqual({ ...DEFAULTS, captureMessageContent: true, contentMaxLength: 10, unreadStreamTimeoutMs: 7 });
  });

  it('falls back past bad values with one warning each, naming the value', () => {
    const env = { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'yes', COSTTRACE_UNREAD_STREAM_TIMEOUT_MS: '250' };
    expect(resolveSharedOptions({ contentMaxLength: -1, unreadStreamTimeoutMs: Number.NaN }, 'Test', env)).toEqual({
      ...DEFAULTS,
      unreadStreamTimeoutMs: 250,
    });
    expect(warnings).toEqual([
      'Test: env OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT="yes" is not valid; using the default false',
      'Test: contentMaxLength -1 is not valid; using the default 16384',
      'Test: unreadStreamTimeoutMs NaN is not valid; using env COSTTRACE_UNREAD_STREAM_TIMEOUT_MS=250',
    ]);
  });
});
