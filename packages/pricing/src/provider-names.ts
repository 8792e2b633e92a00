/**
 * OpenTelemetry `gen_ai.provider.name` well-known values (GenAI semantic conventions 1.37+) and common
 * aliases, mapped to genai-prices provider ids. Names not listed are looked up as catalog ids and
 * through each catalog provider's own `provider_match`.
 */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'aws.bedrock': 'aws',
  bedrock: 'aws',
  'amazon-bedrock': 'aws',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  azure: 'azure',
  azure_openai: 'azure',
  'azure-openai': 'azure',
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  gemini: 'google',
  vertex_ai: 'google',
  'google-vertex': 'google',
  google: 'google',
  x_ai: 'x-ai',
  xai: 'x-ai',
  deepseek: 'deepseek',
  mistral_ai: 'mistral',
  mistral: 'mistral',
  groq: 'groq',
  perplexity: 'perplexity',
  cohere: 'cohere',
  together_ai: 'together',
  togetherai: 'together',
  fireworks_ai: 'fireworks',
  fireworks: 'fireworks',
  moonshot: 'moonshotai',
};

/**
 * The genai-prices provider id an OTel provider name (or alias) stands for, if it is a known one.
 * `undefined` means: not a known alias; try it as a catalog id.
 */
export function catalogProviderAlias(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  const direct = PROVIDER_ALIASES[key];
  if (direct !== undefined) return direct;
  // The Vercel AI SDK names a provider `{provider}.{api}` (`xai.chat`, `openai.responses`,
  // `google.generative-ai`): the part before the first dot is the provider.
  const dot = key.indexOf('.');
  return dot > 0 ? PROVIDER_ALIASES[key.slice(0, dot)] : undefined;
}
