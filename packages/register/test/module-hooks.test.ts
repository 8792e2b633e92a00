import * as nodeModule from 'node:module';
import { describe, expect, it } from 'vitest';
import { canUseSyncHooks } from '../src/module-hooks';

describe('canUseSyncHooks', () => {
  // The answer also depends on the running Node having module.registerHooks at all (22.15+).
  const hasRegisterHooks = typeof (nodeModule as { registerHooks?: unknown }).registerHooks === 'function';
  it.each([
    ['20.20.2', false],
    ['22.22.2', false],
    ['22.22.3', true],
    ['23.11.0', false],
    ['24.11.0', false],
    ['24.11.1', true],
    ['25.0.0', false],
    ['25.1.0', true],
    ['26.0.0', true],
  ])('Node %s → %s when module.registerHooks exists', (version, expected) => {
    expect(canUseSyncHooks(version)).toBe(hasRegisterHooks && expected);
  });
});
