// costtrace set up as `@costtrace/register` does, with the clock of standing budgets in the test's
// hands (a scenario moves it by setting COSTTRACE_TEST_NOW_MS, epoch ms) and, when
// COSTTRACE_BUDGET_STORE names one, the Redis budget store shared with the test's other processes.
const { registerCostTracing } = require('@costtrace/register/setup');

const store = process.env.COSTTRACE_BUDGET_STORE ? new (require('@costtrace/budget-store-redis').RedisBudgetStore)() : undefined;
registerCostTracing({ budgets: { now: () => Number(process.env.COSTTRACE_TEST_NOW_MS) || Date.now(), ...(store ? { store } : {}) } });
