import type { DiagLogger } from '@opentelemetry/api';
import { resolveSharedOptions, type ResolvedSharedOptions } from '@costtrace/pipeline';
import type { AnthropicInstrumentationConfig, SdkSpansMode } from './types';


/** Options with defaults and environment overrides applied. */
export interface ResolvedOptions extends ResolvedSharedOptions {
  readonly sdkSpans: SdkSpansMode;
}

export function resolveOptions(
  config: AnthropicInstrumentationConfig,
  diag: DiagLogger,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  return {
    ...resolveSharedOptions(config, 'AnthropicInstrumentation', diag, env),
    sdkSpans: sdkSpansMode(env['COSTTRACE_ANTHROPIC_SDK_SPANS']?.trim().toLowerCase() || config.sdkSpans, diag),
  };
}

function sdkSpansMode(value: string | undefined, diag: DiagLogger): SdkSpansMode {
  if (value === undefined || value === 'keep') return 'keep';
  if (value === 'suppress') return 'suppress';
  diag.warn(`AnthropicInstrumentation: sdkSpans=${value} is neither keep nor suppress; using keep`);
  return 'keep';
}
