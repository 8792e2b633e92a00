import { CostSpanProcessor, PricedCalls, type CostSpanProcessorOptions } from '@costtrace/cost-span-processor';
import { BudgetSpanProcessor } from './budget-span-processor';
import type { BudgetSpanProcessorOptions } from './types';

/** Options of {@link createCostProcessors}. */
export interface CostProcessorsOptions {
  /** Options of the cost processor. */
  costs?: CostSpanProcessorOptions;
  /** Options of the budget processor, or `false` for none (costs only). */
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
 * Builds the cost and budget processors with the state they share (each call's price, handed
 * from the cost processor to the budget processor so a call is priced once) passed to both
 * explicitly. Nothing global happens until `install()`.
 */
export function createCostProcessors(options: CostProcessorsOptions = {}): CostProcessors {
  const link = { pricedCalls: new PricedCalls(), managed: true };
  const costProcessor = new CostSpanProcessor(options.costs ?? {}, link);
  const budgetProcessor = options.budgets === false ? undefined : new BudgetSpanProcessor(options.budgets ?? {}, link);
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
