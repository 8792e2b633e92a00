import type { DiagLogger } from '@opentelemetry/api';
import { isBoolean, parseBoolean, resolveOption, resolveSharedOptions, type ResolvedSharedOptions } from '@costtrace/pipeline';
import type { OpenAIInstrumentationConfig } from './types';


/** Options by the one precedence rule: code, then the env var, then the default. */
export interface ResolvedOptions extends ResolvedSharedOptions {
  readonly hideInjectedUsageChunk: boolean;
}

export function resolveOptions(
  config: OpenAIInstrumentationConfig,
  _diag: DiagLogger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedOptions {
  return {
    ...resolveSharedOptions(config, 'OpenAIInstrumentation', env),
    hideInjectedUsageChunk: resolveOption(
      {
        name: 'hideInjectedUsageChunk',
        env: 'COSTTRACE_OPENAI_HIDE_INJECTED_USAGE',
        parse: parseBoolean,
        valid: isBoolean,
        fallback: true,
        component: 'OpenAIInstrumentation',
      },
      config.hideInjectedUsageChunk,
      env,
    ),
  };
}
