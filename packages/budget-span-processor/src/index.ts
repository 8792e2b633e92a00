export { BudgetSpanProcessor } from './budget-span-processor';
export { createCostProcessors } from './create-cost-processors';
export type { CostProcessors, CostProcessorsOptions } from './create-cost-processors';
export { InMemoryBudgetStore } from './in-memory-budget-store';
export type { InMemoryBudgetStoreOptions } from './in-memory-budget-store';
export type {
  BudgetSpanProcessorOptions,
  BudgetStore,
  BudgetStoreEvent,
  ProcessorReadableSpan,
  ProcessorSpan,
  ReserveScope,
  ScopeLedger,
  UnpricedPolicy,
} from './types';
export { BudgetExceededError, findBudgetExceededError, isBudgetExceededError } from '@costtrace/pipeline';
