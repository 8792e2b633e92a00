import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { isUsdAmount, resolveOption } from '../src/option-precedence';

const warnings: string[] = [];
const noop = () => {};
diag.setLogger({ error: noop, warn: (m: string) => warnings.push(m), info: noop, debug: noop, verbose: noop }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
afterEach(() => {
  warnings.length = 0;
});

const spec = { name: 'budgetUsd', env: 'X_BUDGET', component: 'Test', valid: isUsdAmount, fallback: 7 };

describe('resolveOption: code, then env, then default', () => {
  it.each([
    ['code wins over env', 3, { X_BUDGET: '4' }, 3, []],
    ['env when code gives nothing', undefined, { X_BUDGET: '4' }, 4, []],
    ['the default when neither does', undefined, {}, 7, []],
    ['a blank env var is no value', undefined, { X_BUDGET: '  ' }, 7, []],
    ['bad code falls to a good env, naming both', 1e21, { X_BUDGET: '4' }, 4, ['Test: budgetUsd 1e+21 is not valid; using env X_BUDGET=4']],
    ['bad code falls to the default', Number.NaN, {}, 7, ['Test: budgetUsd NaN is not valid; using the default 7']],
    ['a bad env falls to the default', undefined, { X_BUDGET: 'Infinity' }, 7, ['Test: env X_BUDGET="Infinity" is not valid; using the default 7']],
    ['an array in code is named as JSON', [1], {}, 7, ['Test: budgetUsd [1] is not valid; using the default 7']],
  ])('%s', (_label, fromCode, env, expected, expectedWarnings) => {
    expect(resolveOption(spec, fromCode, env)).toBe(expected);
    expect(warnings).toEqual(expectedWarnings);
  });
});
