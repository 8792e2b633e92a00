export { RedisBudgetStore } from './redis-budget-store';
export type { RedisBudgetStoreOptions } from './store-options';
export { ENV_BUDGET_STORE, ENV_FAIL_OPEN, isRedisUrl } from './store-options';
export { BudgetStoreUnavailableError } from './redis-link';
export type { ScopeListing } from './scope-listing';
export { resolveScope, runBudgetCommand } from './budget-command';
export type { BudgetCommandIo } from './budget-command';
