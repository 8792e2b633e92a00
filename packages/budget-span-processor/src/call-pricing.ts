import type { PriceCatalog } from '@costtrace/pricing';
import type { TokenUsage } from '@costtrace/semconv';

/** How an admitted call's usage turns into pico-USD for its budget. */
export interface CallPricing {
  /** Priced from the catalog: the cost processor's figure for the finished call is the same price. */
  readonly fromCatalog: boolean;
  /** Cost of `usage`, or undefined when it cannot be priced (invalid usage). */
  cost(usage: TokenUsage, responseModel?: string): bigint | undefined;
}

/** Priced by the catalog, at the model sent (or the one the provider answered with, when it has a price). */
export class CatalogPricing implements CallPricing {
  readonly fromCatalog = true;
  constructor(
    private readonly _catalog: PriceCatalog,
    private readonly _provider: string,
    private readonly _model: string,
    private readonly _serviceTier: string | undefined,
  ) {}

  cost(usage: TokenUsage, responseModel?: string): bigint | undefined {
    if (responseModel !== undefined && responseModel !== this._model) {
      const answered = this._price(usage, responseModel);
      if (answered !== undefined) return answered;
    }
    return this._price(usage, this._model);
  }

  private _price(usage: TokenUsage, model: string): bigint | undefined {
    const result = this._catalog.price({
      provider: this._provider,
      model,
      usage,
      ...(this._serviceTier === undefined ? {} : { serviceTier: this._serviceTier }),
    });
    return result.status === 'priced' ? result.totalPico : undefined;
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
