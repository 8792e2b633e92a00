import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { describe, expect, it } from 'vitest';
import { isWrappedBy, unwrapMethod, wrapMethod } from '../src/index';

type Fn = (...args: unknown[]) => unknown;

/** An instrumentation built the usual way, on InstrumentationBase#_wrap (which unwraps any wrapper it finds). */
class OtherInstrumentation extends InstrumentationBase {
  constructor() {
    super('other', '1.0.0', { enabled: false });
  }
  protected init() {
    return [new InstrumentationNodeModuleDefinition('x', ['*'])];
  }
  wrap(target: Record<string, unknown>) {
    this._wrap(target, 'create', ((original: Fn) => function (this: unknown, ...args: unknown[]) {
      return `other(${String(original.apply(this, args))})`;
    }) as never);
  }
  unwrap(target: Record<string, unknown>) {
    this._unwrap(target, 'create');
  }
}

function target() {
  return { create: (x: unknown) => `sdk(${String(x)})` } as Record<string, unknown>;
}
const ours = (original: Fn): Fn => function (this: unknown, ...args: unknown[]) {
  return `ours(${String(original.apply(this, args))})`;
};
const call = (t: Record<string, unknown>) => (t['create'] as Fn)('x');

describe('wrapMethod', () => {
  it('coexists with an InstrumentationBase wrapper that patches after ours', () => {
    const t = target();
    wrapMethod(t, 'create', 'test', ours);
    new OtherInstrumentation().wrap(t);
    expect(call(t)).toBe('other(ours(sdk(x)))');
  });

  it('coexists with an InstrumentationBase wrapper that patched before ours, and never removes it', () => {
    const t = target();
    new OtherInstrumentation().wrap(t);
    expect(wrapMethod(t, 'create', 'test', ours)).toBe(true);
    expect(call(t)).toBe('ours(other(sdk(x)))');
    unwrapMethod(t, 'create', 'test');
    expect(call(t)).toBe('other(sdk(x))');
  });

  it('wraps once per owner, and unwrapping under another wrapper makes ours call straight through', () => {
    const t = target();
    wrapMethod(t, 'create', 'test', ours);
    expect(wrapMethod(t, 'create', 'test', ours)).toBe(false);
    const other = new OtherInstrumentation();
    other.wrap(t);
    unwrapMethod(t, 'create', 'test');
    expect(call(t)).toBe('other(sdk(x))');
    expect(isWrappedBy(t['create'], 'test')).toBe(false);
    other.unwrap(t);
    expect(call(t)).toBe('sdk(x)');
  });

  it('keeps the method name and arity', () => {
    const t = { create: function create(a: unknown, b: unknown) { return [a, b]; } } as Record<string, unknown>;
    wrapMethod(t, 'create', 'test', ours);
    expect([(t['create'] as Fn).name, (t['create'] as Fn).length]).toEqual(['create', 2]);
  });
});
