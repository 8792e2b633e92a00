// costtrace set up as `@costtrace/register` does (the budget store included: COSTTRACE_BUDGET_STORE
// names a shared one), with the clock of standing budgets in the test's hands: a scenario moves it
// by setting COSTTRACE_TEST_NOW_MS (epoch ms).
import { registerCostTracing } from '@costtrace/register/setup';

registerCostTracing({ budgets: { now: () => Number(process.env.COSTTRACE_TEST_NOW_MS) || Date.now() } });
