import type { Provider } from '@pydantic/genai-prices';
import { compileCatalogModel, hasTokenPrices } from './catalog-prices';
import type { CompiledPrices, NormalizedOverride, ResolvedEntry, ResolvedIdentity, WindowedLayer } from './internal-types';
import type { MatchLogicEvaluator } from './match-logic';
import { findCatalogModel, findCatalogProvider, findModelById, modelCandidates } from './model-resolver';
import type { ModelCandidates } from './model-resolver';
import { providerKey, toSources } from './overrides';
import { BadPriceError, compilePrices, scaleCompiled } from './compile-prices';
import { findServiceTierRule, SERVICE_TIER_TABLE_VERSION } from './service-tier-table';
import type { ServiceTierRule } from './service-tier-table';
import type { PriceVariant } from './internal-types';
import type { PriceResult } from './types';

/** What a resolution reads; owned by the catalog. */
export interface ResolveContext {
  providers: readonly Provider[];
  overrides: readonly NormalizedOverride[];
  matcher: MatchLogicEvaluator;
  compiledCache: WeakMap<object, CompiledPrices>;
  priceVersion: string;
}

/** Service tiers billed at the standard rates; `auto` answers come back as `default`. */
const STANDARD_TIERS = new Set(['', 'default', 'standard', 'auto', 'on_demand']);

/** The service tier as compared (lowercase), or undefined for the standard tier. */
export function normalizeServiceTier(tier: unknown): string | undefined {
  if (typeof tier !== 'string') return undefined;
  const lower = tier.trim().toLowerCase();
  return STANDARD_TIERS.has(lower) ? undefined : lower;
}

/**
 * Resolves (provider, model, service tier) to prices: an override first (one for the tier, then one
 * for any tier), then the catalog. Runs only on a cache miss: this is where match logic and regexes run.
 */
export function resolveEntry(
  ctx: ResolveContext,
  providerName: string | undefined,
  model: string,
  serviceTier: string | undefined,
): ResolvedEntry {
  const candidates = modelCandidates(model);
  if (candidates.exact.length === 0) return unpriced(ctx.priceVersion, 'model id is empty', serviceTier);
  const provider = providerName?.trim() ? providerName : undefined;
  const { windowed, base } = resolveOverrides(ctx, provider, candidates, serviceTier);
  const entry = base ?? resolveCatalog(ctx, provider, model, candidates, serviceTier);
  if (windowed.length > 0) entry.windowed = windowed;
  return entry;
}

function resolveCatalog(
  ctx: ResolveContext,
  provider: string | undefined,
  model: string,
  candidates: ModelCandidates,
  serviceTier: string | undefined,
): ResolvedEntry {

  let catalogProvider: Provider | undefined;
  if (provider) {
    catalogProvider = findCatalogProvider(ctx.providers, provider, ctx.matcher);
    if (!catalogProvider) {
      return unpriced(
        ctx.priceVersion,
        `provider '${provider}' is not in the price catalog (${ctx.priceVersion}); add a price override for model '${model}'`,
        serviceTier,
      );
    }
  }
  const match = findCatalogModel(ctx.providers, catalogProvider, candidates, ctx.matcher);
  if (!match) {
    const where = catalogProvider ? ` for provider '${catalogProvider.id}'` : '';
    return unpriced(
      ctx.priceVersion,
      `model '${model}' is not in the price catalog (${ctx.priceVersion})${where}; add a price override (code or COSTTRACE_PRICES_FILE)`,
      serviceTier,
    );
  }

  let { model: info, provider: owner } = match;
  const notes: string[] = [];
  if (match.dateSuffixRemoved) notes.push(`matched '${match.matchedAs}' after removing the date suffix of '${model}'`);
  if (catalogProvider && owner.id !== catalogProvider.id) {
    notes.push(`priced from ${owner.id}'s entry: ${catalogProvider.id} falls back to it`);
  }
  let tierPriced: boolean | undefined;
  let reason: string | undefined;
  let tierRule: ServiceTierRule | undefined;
  let priceVersion = ctx.priceVersion;
  if (serviceTier) {
    // The catalog names a few tier variants as models of their own (OpenRouter's `…:batch`).
    const variant = findModelById(ctx.providers, owner, `${match.matchedAs}:${serviceTier}`, ctx.matcher);
    if (variant && variant.model !== info) {
      info = variant.model;
      owner = variant.provider;
      tierPriced = true;
    } else {
      tierRule = findServiceTierRule(catalogProvider?.id ?? owner.id, serviceTier, info.id);
      tierPriced = tierRule !== undefined;
      if (tierRule) {
        priceVersion = tierRule.prices ? SERVICE_TIER_TABLE_VERSION : `${ctx.priceVersion}+${SERVICE_TIER_TABLE_VERSION}`;
        const rate = tierRule.prices ? 'rates' : `${tierRule.multiplier}x the standard rates`;
        notes.push(`'${serviceTier}' service tier priced at ${rate} from costtrace's service-tier table (source: ${tierRule.source})`);
        if (!tierRule.published) {
          reason = `no published '${serviceTier}' service-tier rate for ${info.id} in costtrace's table; priced at ${rate} (${tierRule.source})`;
        }
      } else {
        reason = `the catalog (${ctx.priceVersion}) has no '${serviceTier}' service-tier price for ${info.id}; priced at standard rates`;
      }
    }
  }
  if (!hasTokenPrices(info)) {
    return unpriced(
      ctx.priceVersion,
      `catalog model ${owner.id}/${info.id} is not priced by tokens; add a price override`,
      serviceTier,
    );
  }
  const derive1h = owner.id === 'anthropic' || info.id.includes('claude');
  const identity: ResolvedIdentity = {
    catalogModel: info.id,
    catalogProvider: owner.id,
    priceVersion,
    ...(serviceTier ? { serviceTier, serviceTierPriced: tierPriced } : {}),
    ...(reason ? { reason } : {}),
    ...(notes.length ? { notes } : {}),
  };
  const variants = compileCatalogModel(info, derive1h, ctx.compiledCache);
  return {
    identity,
    variants: tierRule ? tierVariants(tierRule, variants) : variants,
    contextWindow: info.context_window,
    windowFrom: 0,
    windowUntil: 0,
  };
}

/**
 * The overrides that match, in order (those for the tier first, then those for any tier): the ones
 * with a time window, tried first at each call's time, up to the first without one, the base.
 */
function resolveOverrides(
  ctx: ResolveContext,
  providerName: string | undefined,
  candidates: ModelCandidates,
  serviceTier: string | undefined,
): { windowed: WindowedLayer[]; base?: ResolvedEntry } {
  const key = providerName === undefined ? undefined : providerKey(providerName);
  const ids = [...candidates.exact, ...candidates.undated];
  const matching = (tier: string | undefined) =>
    ctx.overrides.filter(
      (o) =>
        o.serviceTier === tier &&
        (o.providerId === undefined || o.providerId === key || o.providerId === candidates.prefixProvider) &&
        ids.some((id) => o.matches(id)),
    );
  const ordered = [...(serviceTier ? matching(serviceTier) : []), ...matching(undefined)];
  const windowed: WindowedLayer[] = [];
  for (const override of ordered) {
    const forTier = serviceTier !== undefined && override.serviceTier === serviceTier;
    const identity: ResolvedIdentity = {
      catalogModel: override.id,
      ...(key ? { catalogProvider: key } : {}),
      priceVersion: `override:${override.id}`,
      ...(serviceTier ? { serviceTier, serviceTierPriced: forTier } : {}),
      ...(serviceTier && !forTier
        ? { reason: `override ${override.id} has no '${serviceTier}' service-tier price; priced at its standard rates` }
        : {}),
    };
    if (override.window) {
      windowed.push({ identity, compiled: override.compiled, window: override.window });
      continue;
    }
    return { windowed, base: { identity, variants: [{ compiled: override.compiled }], windowFrom: 0, windowUntil: 0 } };
  }
  return { windowed };
}

function unpriced(priceVersion: string, reason: string, serviceTier: string | undefined): ResolvedEntry {
  const result: PriceResult = Object.freeze({
    status: 'unpriced',
    priceVersion,
    reason,
    ...(serviceTier ? { serviceTier } : {}),
  });
  return { unpriced: result, variants: [], windowFrom: 0, windowUntil: 0 };
}

/** The catalog's standard variants at a tier rule's rates: a multiple of each, or the rule's own prices. */
function tierVariants(rule: ServiceTierRule, standard: PriceVariant[]): PriceVariant[] {
  if (rule.multiplier !== undefined) {
    const multiplier = rule.multiplier;
    return standard.map((variant) => ({ constraint: variant.constraint, compiled: scaleCompiled(variant.compiled, multiplier) }));
  }
  const sources = toSources(rule.prices);
  if (typeof sources === 'string') throw new BadPriceError(`service-tier rule for ${rule.tier}: ${sources}`);
  return [{ compiled: compilePrices(sources) }];
}
