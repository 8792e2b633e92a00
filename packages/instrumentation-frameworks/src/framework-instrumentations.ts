import type { Instrumentation } from '@opentelemetry/instrumentation';
import { AiSdkInstrumentation } from './ai-sdk';
import { LANGCHAIN_ESM_MODULES, LangChainInstrumentation } from './langchain';
import { MASTRA_ESM_MODULES, MastraInstrumentation } from './mastra';
import { OPENAI_AGENTS_ESM_MODULES, OpenAIAgentsInstrumentation } from './openai-agents';

/**
 * One instance of every framework adapter, as `@costtrace/register` installs
 * them: each hooks only its own framework's package, so an app that loads none
 * of them pays nothing.
 */
export function frameworkInstrumentations(): Instrumentation[] {
  return [new OpenAIAgentsInstrumentation(), new LangChainInstrumentation(), new MastraInstrumentation(), new AiSdkInstrumentation()];
}

/**
 * What an ESM loader hook (import-in-the-middle's `include`) must intercept for
 * the adapters to see their frameworks loaded with `import`: package names
 * (matched against the import specifier) and, for files a package imports by
 * relative path, patterns matched against the file URL.
 */
export const FRAMEWORK_ESM_MODULES: readonly (string | RegExp)[] = [
  ...OPENAI_AGENTS_ESM_MODULES,
  ...LANGCHAIN_ESM_MODULES,
  ...MASTRA_ESM_MODULES,
];
