import type { DiagLogger } from '@opentelemetry/api';
import { envBoolean, resolveSharedOptions, type ResolvedSharedOptions } from '@costtrace/pipeline';
import type { OpenAIInstrumentationConfig } from './types';


/** Options with defaults and environment overrides applied. */
export interface ResolvedOptions extends ResolvedSharedOptions {
  readonly hideInjectedUsageChunk: boolean;
}

export function resolveOptions(
  config: OpenAIInstrumentationConfig,
  diag: DiagLogger,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  return {
    ...resolveSharedOptions(config, 'OpenAIInstrumentation', diag, env),
    hideInjectedUsageChunk:
      envBoolean(env, 'COSTTRACE_OPENAI_HIDE_INJECTED_USAGE', diag) ?? config.hideInjectedUsageChunk !== false,
  };
}
