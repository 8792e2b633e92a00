import { resolveSharedOptions, type ResolvedSharedOptions } from '@costtrace/pipeline';
import type { BedrockInstrumentationConfig } from './types';

/** Options by the one precedence rule: code, then the env var, then the default. */
export function resolveOptions(
  config: BedrockInstrumentationConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedSharedOptions {
  return resolveSharedOptions(config, 'BedrockInstrumentation', env);
}
