import type { CallRates, PriceCatalog } from '@costtrace/pricing';
import type { TokenUsage } from '@costtrace/semconv';

/** How an admitted call's usage turns into pico-USD for its budget. */
export interface CallPricing {
  /** Priced from the catalog: the cost processor's figure for the finished call is the same price. */
  readonly fromCatalog: boolean;
  /** Cost of `usage`, or undefined when it cannot be priced (invalid usage). */
  cost(usage: TokenUsage, responseModel?: string): bigint | undefined;
}

/**
 * Priced by the catalog, at the model sent (or the one the provider answered with, when it has a
 * price). Each model's rates are resolved once per call, at its first usage: a stream's running
 * charges then cost one computation each, not a catalog lookup.
 */
export class CatalogPricing implements CallPricing {
  readonly fromCatalog = true;
  /** Rates of the model sent: unresolved (null) until first used, undefined when it has no price. */
  private _rates: CallRates | undefined | null = null;
  private _answeredModel: string | undefined;
  private _answeredRates: CallRates | undefined;

  constructor(
    private readonly _catalog: PriceCatalog,
    private readonly _provider: string,
    private readonly _model: string,
    private readonly _serviceTier: string | undefined,
  ) {}

  cost(usage: TokenUsage, responseModel?: string): bigint | undefined {
    if (responseModel !== undefined && responseModel !== this._model) {
      if (this._answeredModel !== responseModel) {
        this._answeredModel = responseModel;
        this._answeredRates = this._catalog.rates(this._provider, responseModel, this._serviceTier);
      }
      const answered = this._answeredRates?.costPico(usage);
      if (answered !== undefined) return answered;
    }
    if (this._rates === null) this._rates = this._catalog.rates(this._provider, this._model, this._serviceTier);
    return this._rates?.costPico(usage);
  }
}

/** An unpriced model under the `reserve` policy: every token at one fallback rate. */
export class FallbackPricing implements CallPricing {
  readonly fromCatalog = false;
  constructor(private readonly _picoPerToken: bigint) {}

  cost(usage: TokenUsage): bigint {
    return BigInt(tokens(usage.inputTokens) + tokens(usage.outputTokens)) * this._picoPerToken;
  }
}

/** An unpriced model under the `allow` policy: counted as nothing. */
export const FREE_PRICING: CallPricing = { fromCatalog: false, cost: () => 0n };

function tokens(value: number | undefined): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}
