import { AsyncLocalStorage } from 'node:async_hooks';
import { diag } from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  type InstrumentationConfig,
} from '@opentelemetry/instrumentation';
import { setAgentNameSource, unwrapMethod, wrapMethod } from '@costtrace/pipeline';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import { majorMinor } from './semver-range';

/** The `@mastra/core` versions whose running agent this adapter reads, as written in the README. */
export const MASTRA_SUPPORTED_VERSIONS = '>=1.0.0 <2';

const MODULE_NAME = '@mastra/core';

/** What an ESM loader hook must intercept for this adapter: the package and its `agent` entry. */
export const MASTRA_ESM_MODULES: readonly string[] = [MODULE_NAME, `${MODULE_NAME}/agent`];
const SOURCE_ID = 'mastra';
const OWNER = 'mastra-agent';
/** The methods that run an agent: its model calls happen inside them. */
const AGENT_METHODS = ['generate', 'stream', 'generateLegacy', 'streamLegacy'] as const;
/**
 * Where the running agent's name is kept, on the Agent class's prototype: an ESM and a CommonJS
 * copy of costtrace patch the one class of the app's `@mastra/core` once and read the same store.
 */
const RUNNING = Symbol.for('costtrace.mastra.runningAgent');

/** The parts of a Mastra `Agent` this adapter reads. */
interface MastraAgent {
  name?: unknown;
}

interface AgentPrototype extends Record<string, unknown> {
  [RUNNING]?: AsyncLocalStorage<string>;
}

interface MastraModule {
  Agent?: { prototype?: AgentPrototype };
}

/**
 * Names each model call a Mastra agent makes after that agent (its `name`), with no code in the
 * app.
 *
 * A Mastra 1.x `Agent` calls its model (an AI SDK provider, which sends the request with `fetch`)
 * inside `Agent.prototype.generate` / `stream`: the loop, its tool calls and sub-agents run in the
 * async context of that call, and `stream()` starts the first model request before it returns.
 * Mastra's own tracing context exists only when the app configures observability on a `Mastra`
 * instance, so this adapter keeps the running agent itself: each agent method runs in an
 * `AsyncLocalStorage` holding the agent's name (a sub-agent's call nests inside, so the innermost
 * agent names the call). The calls themselves are seen by costtrace's wire-level instrumentation.
 */
export class MastraInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  constructor(config: InstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/mastra`, PACKAGE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const patch = (moduleExports: MastraModule, moduleVersion?: string) => this._patch(moduleExports, moduleVersion);
    const unpatch = (moduleExports: MastraModule) => this._unpatch(moduleExports);
    // The Agent class is re-exported by the package root and by `@mastra/core/agent` (the documented import).
    return [
      new InstrumentationNodeModuleDefinition(MODULE_NAME, ['*'], patch, unpatch, [
        new InstrumentationNodeModuleFile(`${MODULE_NAME}/dist/agent/index.js`, ['*'], patch, unpatch),
        new InstrumentationNodeModuleFile(`${MODULE_NAME}/dist/agent/index.cjs`, ['*'], patch, unpatch),
      ]),
    ];
  }

  override disable(): void {
    super.disable();
    setAgentNameSource(SOURCE_ID, undefined);
  }

  private _patch(moduleExports: MastraModule, moduleVersion: string | undefined): MastraModule {
    try {
      const proto = moduleExports?.Agent?.prototype;
      if (proto === undefined || typeof proto.generate !== 'function') return moduleExports;
      const version = majorMinor(moduleVersion);
      if (version === undefined || version[0] !== 1) {
        (this._diag ?? diag).warn(
          `${MODULE_NAME} ${moduleVersion ?? 'unknown'} is outside ${MASTRA_SUPPORTED_VERSIONS}; its model calls are priced but not named after their agent`,
        );
        return moduleExports;
      }
      const running = runningStore(proto);
      for (const method of AGENT_METHODS) {
        wrapMethod(proto, method, OWNER, (original) =>
          function runAsAgent(this: unknown, ...args: unknown[]): unknown {
            const name = (this as MastraAgent | undefined)?.name;
            return typeof name === 'string' && name !== '' ? running.run(name, () => original.apply(this, args)) : original.apply(this, args);
          },
        );
      }
      setAgentNameSource(SOURCE_ID, () => running.getStore());
    } catch (err) {
      (this._diag ?? diag).error(`could not patch ${MODULE_NAME}; its model calls are not named after their agent`, err);
    }
    return moduleExports;
  }

  private _unpatch(moduleExports: MastraModule): void {
    const proto = moduleExports?.Agent?.prototype;
    if (proto !== undefined) for (const method of AGENT_METHODS) unwrapMethod(proto, method, OWNER);
    setAgentNameSource(SOURCE_ID, undefined);
  }
}

/** The store of the running agent's name, created once per Agent class. */
function runningStore(proto: AgentPrototype): AsyncLocalStorage<string> {
  const found = proto[RUNNING];
  if (found instanceof AsyncLocalStorage) return found;
  const store = new AsyncLocalStorage<string>();
  Object.defineProperty(proto, RUNNING, { value: store, configurable: true });
  return store;
}
