import { CostSpanProcessor, PricedCalls, resolveTreeOptions, SpanTree, type CostSpanProcessorOptions } from '@costtrace/cost-span-processor';
import { BudgetSpanProcessor } from './budget-span-processor';
import type { BudgetSpanProcessorOptions } from './types';

/** Options of {@link createCostProcessors}. */
export interface CostProcessorsOptions {
  /** Options of the cost processor; its `stateTtlMs` and `maxTrackedSpans` bound the shared span tree. */
  costs?: CostSpanProcessorOptions;
  /**
   * Options of the budget processor, or `false` for none (costs only). Its `maxOpenSpans` and
   * `staleAfterMs` bound only a tree of its own: here the shared tree follows the cost options
   * (`staleAfterMs` still applies to budget scopes).
   */
  budgets?: BudgetSpanProcessorOptions | false;
}

/** The two processors, wired to each other, and the one step that puts them in the process's registry. */
export interface CostProcessors {
  /** Register these, in this order, before the exporting processor. */
  readonly spanProcessors: readonly [CostSpanProcessor] | readonly [CostSpanProcessor, BudgetSpanProcessor];
  readonly costProcessor: CostSpanProcessor;
  /** Undefined with `budgets: false`. */
  readonly budgetProcessor: BudgetSpanProcessor | undefined;
  /** Installs the budget gate and the cost ledger; returns a function that removes both. */
  install(): () => void;
}

/**
 * Builds the cost and budget processors with the state they share, built once here and handed to
 * both explicitly: the one span tree (the cost processor starts spans in it, the budget processor,
 * last in the chain, ends them) and each call's price (so a call is priced once). Nothing global
 * happens until `install()`.
 */
export function createCostProcessors(options: CostProcessorsOptions = {}): CostProcessors {
  const costs = options.costs ?? {};
  const tree = new SpanTree(resolveTreeOptions(costs, process.env));
  const pricedCalls = new PricedCalls();
  const withBudgets = options.budgets !== false;
  const costProcessor = new CostSpanProcessor(costs, { tree, pricedCalls, endsSpans: !withBudgets });
  const budgetProcessor = options.budgets === false ? undefined : new BudgetSpanProcessor(options.budgets ?? {}, { tree, pricedCalls });
  return {
    spanProcessors: budgetProcessor ? [costProcessor, budgetProcessor] : [costProcessor],
    costProcessor,
    budgetProcessor,
    install() {
      const removeLedger = costProcessor.installLedger();
      const removeGate = budgetProcessor?.installGate();
      return () => {
        removeGate?.();
        removeLedger();
      };
    },
  };
}
