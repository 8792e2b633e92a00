import { diag } from '@opentelemetry/api';
import type { BudgetSpanProcessorOptions } from '@costtrace/budget-span-processor';
import { ENV_BUDGET_STORE, isRedisUrl, RedisBudgetStore } from '@costtrace/budget-store-redis';

/**
 * The budget options with the shared store `COSTTRACE_BUDGET_STORE` names (`redis://host:port/db`),
 * unless the options bring a store of their own. Another value is ignored with one warning:
 * budgets then stay in this process.
 */
export function withSharedStore(options: BudgetSpanProcessorOptions | undefined, env: NodeJS.ProcessEnv): BudgetSpanProcessorOptions {
  const budgets = options ?? {};
  const url = env[ENV_BUDGET_STORE]?.trim();
  if (budgets.store !== undefined || !url) return budgets;
  if (!isRedisUrl(url)) {
    diag.warn(`costtrace: ${ENV_BUDGET_STORE}=${JSON.stringify(url)} is not a redis:// or rediss:// URL; budgets stay in this process`);
    return budgets;
  }
  return { ...budgets, store: new RedisBudgetStore({ url }) };
}
