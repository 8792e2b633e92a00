import type { ModelInfo, Provider } from '@pydantic/genai-prices';
import type { MatchLogicEvaluator } from './match-logic';
import { bedrockModelIdForms } from './bedrock-model-id';
import { catalogProviderAlias } from './provider-names';

/** A catalog model found for a call. */
export interface CatalogMatch {
  provider: Provider;
  model: ModelInfo;
  /** The form of the model id that matched (lowercased, prefix or date suffix removed). */
  matchedAs: string;
  /** Set when the id matched only after its date suffix was removed. */
  dateSuffixRemoved: boolean;
}

/** A model id as sent, its forms to try, in order. */
export interface ModelCandidates {
  /** Forms that name the same model (lowercased, date written with dashes, provider prefix removed). */
  exact: string[];
  /** Forms with a trailing snapshot date removed: a last resort, noted on the result. */
  undated: string[];
  /** Catalog provider named by a `provider/` prefix (`anthropic/claude-…`), if any. */
  prefixProvider?: string;
}

const COMPACT_DATE = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;
const DATE_SUFFIX = /[-@](?:20\d{2}-\d{2}-\d{2}|20\d{6})$/;

/**
 * The forms of a model id to look up. `gpt-4o-mini-20240718` is also tried as `gpt-4o-mini-2024-07-18`
 * (as genai-prices does); `openai/gpt-4o`, `models/gemini-2.5-pro` and
 * `publishers/google/models/gemini-2.5-pro` are also tried without their prefix.
 */
export function modelCandidates(model: string): ModelCandidates {
  const lower = model.trim().toLowerCase();
  const exact: string[] = [];
  const add = (id: string) => {
    if (!id) return;
    if (!exact.includes(id)) exact.push(id);
    const dashed = id.replace(COMPACT_DATE, '$1$2-$3-$4');
    if (!exact.includes(dashed)) exact.push(dashed);
  };
  add(lower);
  let prefixProvider: string | undefined;
  const slash = lower.indexOf('/');
  if (slash > 0) {
    const prefix = lower.slice(0, slash);
    prefixProvider = catalogProviderAlias(prefix) ?? (prefix === 'models' ? undefined : prefix);
    add(lower.slice(slash + 1));
    add(lower.slice(lower.lastIndexOf('/') + 1));
  }
  for (const form of bedrockModelIdForms(lower)) add(form);
  const undated: string[] = [];
  for (const id of exact) {
    const stripped = id.replace(DATE_SUFFIX, '');
    if (stripped !== id && !exact.includes(stripped) && !undated.includes(stripped)) undated.push(stripped);
  }
  return { exact, undated, prefixProvider };
}

/** Finds a catalog provider by OTel name, alias, catalog id or the provider's own `provider_match`. */
export function findCatalogProvider(
  providers: readonly Provider[],
  name: string,
  matcher: MatchLogicEvaluator,
): Provider | undefined {
  const lower = name.trim().toLowerCase();
  const id = catalogProviderAlias(lower) ?? lower;
  return (
    providers.find((provider) => provider.id === id) ??
    providers.find((provider) => matcher.matches(provider.provider_match, lower))
  );
}

/**
 * Finds the catalog model for a call. With a provider, only that provider (and its
 * `fallback_model_providers`) is searched; without one, the provider named by the id's prefix, else
 * the first whose `model_match` takes the id, as genai-prices infers it.
 */
export function findCatalogModel(
  providers: readonly Provider[],
  provider: Provider | undefined,
  candidates: ModelCandidates,
  matcher: MatchLogicEvaluator,
): CatalogMatch | undefined {
  const searchIn = (target: Provider): CatalogMatch | undefined => {
    for (const [list, dateSuffixRemoved] of [[candidates.exact, false], [candidates.undated, true]] as const) {
      for (const id of list) {
        const model = findModelIn(providers, target, id, matcher, 0);
        if (model) return { provider: model.provider, model: model.model, matchedAs: id, dateSuffixRemoved };
      }
    }
    return undefined;
  };
  if (provider) return searchIn(provider);
  if (candidates.prefixProvider) {
    const prefixed = findCatalogProvider(providers, candidates.prefixProvider, matcher);
    const found = prefixed && searchIn(prefixed);
    if (found) return found;
  }
  for (const id of candidates.exact) {
    const inferred = providers.find((p) => matcher.matches(p.model_match, id));
    const found = inferred && searchIn(inferred);
    if (found) return found;
  }
  return undefined;
}

/** Finds a model by id in one provider, e.g. a service-tier variant (`openai/gpt-6-luna:batch`). */
export function findModelById(
  providers: readonly Provider[],
  provider: Provider,
  id: string,
  matcher: MatchLogicEvaluator,
): { provider: Provider; model: ModelInfo } | undefined {
  return findModelIn(providers, provider, id, matcher, 0);
}

function findModelIn(
  providers: readonly Provider[],
  provider: Provider,
  id: string,
  matcher: MatchLogicEvaluator,
  depth: number,
): { provider: Provider; model: ModelInfo } | undefined {
  const model = provider.models.find((m) => matcher.matches(m.match, id));
  if (model) return { provider, model };
  // genai-prices follows fallback providers one level deep (Azure → OpenAI, Anthropic, …).
  if (depth > 0 || !provider.fallback_model_providers) return undefined;
  for (const fallbackId of provider.fallback_model_providers) {
    const fallback = providers.find((p) => p.id === fallbackId);
    const found = fallback && findModelIn(providers, fallback, id, matcher, depth + 1);
    if (found) return found;
  }
  return undefined;
}
