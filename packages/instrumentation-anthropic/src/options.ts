import type { DiagLogger } from '@opentelemetry/api';
import { resolveOption, resolveSharedOptions, type ResolvedSharedOptions } from '@costtrace/pipeline';
import type { AnthropicInstrumentationConfig, SdkSpansMode } from './types';


/** Options by the one precedence rule: code, then the env var, then the default. */
export interface ResolvedOptions extends ResolvedSharedOptions {
  readonly sdkSpans: SdkSpansMode;
}

export function resolveOptions(
  config: AnthropicInstrumentationConfig,
  _diag: DiagLogger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedOptions {
  return {
    ...resolveSharedOptions(config, 'AnthropicInstrumentation', env),
    sdkSpans: resolveOption<SdkSpansMode>(
      {
        name: 'sdkSpans',
        env: 'COSTTRACE_ANTHROPIC_SDK_SPANS',
        parse: (text) => text.toLowerCase(),
        valid: (value) => value === 'keep' || value === 'suppress',
        fallback: 'keep',
        component: 'AnthropicInstrumentation',
      },
      config.sdkSpans,
      env,
    ),
  };
}
