import { findProvider } from '@pydantic/genai-prices';
import type { Provider } from '@pydantic/genai-prices';

/** Version of @pydantic/genai-prices whose bundled data prices calls (pinned in package.json). */
export const GENAI_PRICES_VERSION = '0.1.8';

/** `priceVersion` of a price taken from the bundled catalog. */
export const BUNDLED_PRICE_VERSION = `genai-prices@${GENAI_PRICES_VERSION}`;

/**
 * Provider ids of the data bundled in genai-prices 0.1.8. The package exports its data only through
 * the async `waitForUpdate()`; `findProvider({ providerId })` hands back the same objects synchronously,
 * so the list is written here and checked against `waitForUpdate()` by a test.
 */
export const BUNDLED_PROVIDER_IDS: readonly string[] = [
  'anthropic', 'arcee', 'avian', 'aws', 'azure', 'baseten', 'cerebras', 'cloudflare', 'cohere',
  'cursor', 'deepseek', 'doubleword', 'fireworks', 'github-copilot', 'google', 'groq',
  'huggingface_cerebras', 'huggingface_fireworks-ai', 'huggingface_groq', 'huggingface_hyperbolic',
  'huggingface_nebius', 'huggingface_novita', 'huggingface_nscale', 'huggingface_ovhcloud',
  'huggingface_publicai', 'huggingface_sambanova', 'huggingface_together', 'minimax', 'mistral',
  'modal', 'moonshotai', 'novita', 'openai', 'openrouter', 'ovhcloud', 'perplexity',
  'quicksilverpro', 'together', 'typesafe', 'voyageai', 'x-ai', 'zai', 'zhipuai',
];

/** The bundled providers, in catalog order (the order genai-prices infers a provider from a model in). */
export function loadBundledProviders(): Provider[] {
  const providers: Provider[] = [];
  for (const id of BUNDLED_PROVIDER_IDS) {
    const provider = findProvider({ providerId: id });
    if (provider && provider.id === id) providers.push(provider);
  }
  return providers;
}
