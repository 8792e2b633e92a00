import { diag } from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  type InstrumentationConfig,
} from '@opentelemetry/instrumentation';
import { setAgentNameSource, unwrapMethod, wrapMethod } from '@costtrace/pipeline';
import { vetoBudgetRetries, type AsyncCallerLike } from './budget-retry-veto';
import { keepBudgetCause, restoreBudgetCause, type LangChainOpenAIClientModule } from './langchain-openai-errors';
import { nodeOfConfig, streamInNode } from './langchain-stream-node';
import { runningNode, type RunnableConfigProvider } from './langgraph-node';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import { majorMinor } from './semver-range';

/** The `@langchain/core` versions this adapter hooks, as written in the README. */
export const LANGCHAIN_SUPPORTED_VERSIONS = '>=1.0.0 <2';

const MODULE_NAME = '@langchain/core';
const OPENAI_MODULE = '@langchain/openai';
const OPENAI_CLIENT_FILES = ['dist/utils/client.js', 'dist/utils/client.cjs'];
const SOURCE_ID = 'langgraph';
const OWNER = 'instrumentation-frameworks-langchain';
const CALLER_METHODS = ['call', 'callWithOptions'] as const;
// The dist files holding the two objects, in both module systems (the same paths from 1.0 to 1.4).
const STORAGE_FILES = ['dist/singletons/async_local_storage/index.js', 'dist/singletons/async_local_storage/index.cjs'];
const CALLER_FILES = ['dist/utils/async_caller.js', 'dist/utils/async_caller.cjs'];
const MODEL_FILES = ['dist/language_models/chat_models.js', 'dist/language_models/chat_models.cjs', 'dist/language_models/llms.js', 'dist/language_models/llms.cjs'];
const MODEL_CLASSES = ['BaseChatModel', 'BaseLLM'] as const;

/**
 * `@langchain/core` loads both files by relative path, which a loader hook
 * matching import specifiers never sees: they are matched by file URL.
 */
export const LANGCHAIN_ESM_MODULES: readonly RegExp[] = [
  /\/@langchain\/core\/dist\/(?:singletons\/async_local_storage\/index|utils\/async_caller|language_models\/(?:chat_models|llms))\.js$/,
  /\/@langchain\/openai\/dist\/utils\/client\.js$/,
];

interface StorageModule {
  AsyncLocalStorageProviderSingleton?: RunnableConfigProvider;
}

interface CallerModule {
  AsyncCaller?: { prototype: Record<string, unknown> };
}

type ModelModule = Partial<Record<(typeof MODEL_CLASSES)[number], { prototype: Record<string, unknown> }>>;

/**
 * LangChain.js and LangGraph: names each model call after the LangGraph node
 * running it (`metadata.langgraph_node` of the RunnableConfig LangChain keeps
 * in its AsyncLocalStorage), and keeps LangChain's `AsyncCaller` from retrying
 * a call costtrace's budget refused or stopped (and `@langchain/openai` from
 * dropping the budget error when it rewraps the SDK's abort error). The model call itself goes
 * through the provider SDK (`openai`, `@anthropic-ai/sdk`) that costtrace's
 * SDK-level instrumentations patch.
 */
export class LangChainInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  private declare _warned: boolean;

  constructor(config: InstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/langchain`, PACKAGE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const file = (name: string, patch: (exports: never, version?: string) => unknown, unpatch: (exports: never) => void, module = MODULE_NAME) =>
      new InstrumentationNodeModuleFile(`${module}/${name}`, ['*'], patch as never, unpatch as never);
    return [
      new InstrumentationNodeModuleDefinition(MODULE_NAME, ['*'], undefined, undefined, [
        ...STORAGE_FILES.map((name) =>
          file(name, (exports: StorageModule, version) => this._patchStorage(exports, version), () => setAgentNameSource(SOURCE_ID, undefined)),
        ),
        ...CALLER_FILES.map((name) =>
          file(name, (exports: CallerModule, version) => this._patchCaller(exports, version), (exports: CallerModule) => unpatchCaller(exports)),
        ),
        ...MODEL_FILES.map((name) =>
          file(name, (exports: ModelModule, version) => this._patchModels(exports, version), (exports: ModelModule) => unpatchModels(exports)),
        ),
      ]),
      // Its 1.x line; `keepBudgetCause` leaves a module without `wrapOpenAIClientError` alone.
      new InstrumentationNodeModuleDefinition(OPENAI_MODULE, ['>=1.0.0 <2'], undefined, undefined, [
        ...OPENAI_CLIENT_FILES.map((name) =>
          file(
            name,
            (exports: LangChainOpenAIClientModule) => {
              keepBudgetCause(exports);
              return exports;
            },
            (exports: LangChainOpenAIClientModule) => restoreBudgetCause(exports),
            OPENAI_MODULE,
          ),
        ),
      ]),
    ];
  }

  override disable(): void {
    super.disable();
    setAgentNameSource(SOURCE_ID, undefined);
  }

  private _patchStorage(moduleExports: StorageModule, version: string | undefined): StorageModule {
    if (!this._supported(version)) return moduleExports;
    const provider = moduleExports?.AsyncLocalStorageProviderSingleton;
    if (provider === undefined || typeof provider.getRunnableConfig !== 'function') {
      this._log().warn(`${MODULE_NAME} ${version}: no AsyncLocalStorageProviderSingleton; LangGraph nodes do not name their model calls`);
      return moduleExports;
    }
    setAgentNameSource(SOURCE_ID, () => runningNode(provider));
    return moduleExports;
  }

  private _patchCaller(moduleExports: CallerModule, version: string | undefined): CallerModule {
    if (!this._supported(version)) return moduleExports;
    const proto = moduleExports?.AsyncCaller?.prototype;
    if (proto === undefined) {
      this._log().warn(`${MODULE_NAME} ${version}: no AsyncCaller; LangChain may retry a call a budget refused`);
      return moduleExports;
    }
    for (const name of CALLER_METHODS) {
      wrapMethod(proto, name, OWNER, (original) =>
        function costtraceAsyncCaller(this: unknown, ...args: unknown[]): unknown {
          try {
            vetoBudgetRetries(this as AsyncCallerLike);
          } catch (err) {
            diag.error('costtrace: could not guard an AsyncCaller against retrying budget errors', err);
          }
          return original.apply(this, args);
        },
      );
    }
    return moduleExports;
  }

  private _patchModels(moduleExports: ModelModule, version: string | undefined): ModelModule {
    if (!this._supported(version)) return moduleExports;
    for (const proto of modelPrototypes(moduleExports)) {
      wrapMethod(proto, '_streamIterator', OWNER, (original) =>
        function costtraceStreamIterator(this: unknown, ...args: unknown[]): unknown {
          const generator = original.apply(this, args);
          const node = nodeOfConfig(args[1]);
          return node === undefined ? generator : streamInNode(generator as AsyncGenerator<unknown>, node);
        },
      );
    }
    return moduleExports;
  }

  private _supported(version: string | undefined): boolean {
    const parsed = majorMinor(version);
    if (parsed !== undefined && parsed[0] === 1) return true;
    if (this._warned !== true) {
      this._warned = true;
      this._log().warn(
        `${MODULE_NAME} ${version ?? 'unknown'} is outside ${LANGCHAIN_SUPPORTED_VERSIONS}; its model calls are priced and budgeted, not named after their LangGraph node, and LangChain may retry a call a budget refused`,
      );
    }
    return false;
  }

  private _log() {
    return this._diag ?? diag;
  }
}

function unpatchCaller(moduleExports: CallerModule): void {
  const proto = moduleExports?.AsyncCaller?.prototype;
  if (proto === undefined) return;
  for (const name of CALLER_METHODS) unwrapMethod(proto, name, OWNER);
}

function modelPrototypes(moduleExports: ModelModule): Record<string, unknown>[] {
  const protos: Record<string, unknown>[] = [];
  for (const name of MODEL_CLASSES) {
    const proto = moduleExports?.[name]?.prototype;
    if (proto !== undefined && typeof proto['_streamIterator'] === 'function') protos.push(proto);
  }
  return protos;
}

function unpatchModels(moduleExports: ModelModule): void {
  for (const proto of modelPrototypes(moduleExports)) unwrapMethod(proto, '_streamIterator', OWNER);
}
