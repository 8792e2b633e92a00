import { diag, DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/resolve-options';

describe('CostSpanProcessor options follow code, then env, then default', () => {
  it('a bad stateTtlMs in code falls back to the env var, with one warning naming both', () => {
    const warnings: string[] = [];
    const noop = () => {};
    diag.setLogger({ error: noop, warn: (m: string) => warnings.push(m), info: noop, debug: noop, verbose: noop }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    const resolved = resolveOptions({ stateTtlMs: -1 }, { COSTTRACE_STATE_TTL_MS: '5000' });
    diag.disable();
    expect(resolved.stateTtlMs).toBe(5000);
    expect(warnings).toEqual(['CostSpanProcessor: stateTtlMs -1 is not valid; using env COSTTRACE_STATE_TTL_MS=5000']);
  });
});
