import {
  GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
  GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI,
  GEN_AI_PROVIDER_NAME_VALUE_DEEPSEEK,
  GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI,
  GEN_AI_PROVIDER_NAME_VALUE_GCP_VERTEX_AI,
  GEN_AI_PROVIDER_NAME_VALUE_GROQ,
  GEN_AI_PROVIDER_NAME_VALUE_MISTRAL_AI,
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
  GEN_AI_PROVIDER_NAME_VALUE_X_AI,
} from '@costtrace/semconv';

/**
 * OpenRouter has no well-known `gen_ai.provider.name` (semconv 1.37 lists none); its own name is
 * used, as the semconv asks for a provider it does not list.
 */
export const PROVIDER_NAME_OPENROUTER = 'openrouter';

/** Provider API hosts recognised without configuration, by exact hostname. */
const EXACT: ReadonlyMap<string, string> = new Map([
  ['api.openai.com', GEN_AI_PROVIDER_NAME_VALUE_OPENAI],
  ['openrouter.ai', PROVIDER_NAME_OPENROUTER],
  ['api.groq.com', GEN_AI_PROVIDER_NAME_VALUE_GROQ],
  ['api.mistral.ai', GEN_AI_PROVIDER_NAME_VALUE_MISTRAL_AI],
  ['api.deepseek.com', GEN_AI_PROVIDER_NAME_VALUE_DEEPSEEK],
  ['api.x.ai', GEN_AI_PROVIDER_NAME_VALUE_X_AI],
  ['api.anthropic.com', GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC],
  ['generativelanguage.googleapis.com', GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI],
  ['aiplatform.googleapis.com', GEN_AI_PROVIDER_NAME_VALUE_GCP_VERTEX_AI],
]);

/** Per-resource hosts: Azure OpenAI (`{resource}.openai.azure.com`, newer `{resource}.cognitiveservices.azure.com`) and Vertex regions. */
const SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['.openai.azure.com', GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI],
  ['.cognitiveservices.azure.com', GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI],
  ['-aiplatform.googleapis.com', GEN_AI_PROVIDER_NAME_VALUE_GCP_VERTEX_AI],
];

/** The `gen_ai.provider.name` of a known provider host (lower case), else undefined. */
export function knownProvider(host: string): string | undefined {
  const exact = EXACT.get(host);
  if (exact !== undefined) return exact;
  for (const [suffix, provider] of SUFFIXES) if (host.endsWith(suffix)) return provider;
  return undefined;
}
