import type { DiagLogger } from '@opentelemetry/api';

/** A DiagLogger that keeps what it is given, for asserting on warnings and errors. */
export interface DiagRecord extends DiagLogger {
  errors: unknown[][];
  warnings: unknown[][];
}

export function recordingDiag(): DiagRecord {
  const errors: unknown[][] = [];
  const warnings: unknown[][] = [];
  const noop = () => {};
  return {
    errors,
    warnings,
    error: (...a: unknown[]) => errors.push(a),
    warn: (...a: unknown[]) => warnings.push(a),
    info: noop,
    debug: noop,
    verbose: noop,
  };
}
