import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/**
 * A minimal AsyncLocalStorage context manager, as NodeSDK registers one (no
 * extra dependency), so `context.with` propagates across awaits as in an app.
 * Register it with the API copy the package under test uses:
 * `context.setGlobalContextManager(new TestContextManager())`.
 */
export class TestContextManager implements ContextManager {
  private readonly _als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this._als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this._als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this._als.disable();
    return this;
  }
}
