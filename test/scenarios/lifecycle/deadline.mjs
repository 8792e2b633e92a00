// A per-scenario deadline: a caller left pending must fail fast with a clear message, not hang the child.
export function withDeadline(ms, label, work) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ hung: `${label}: still pending after ${ms} ms` }), ms);
  });
  return Promise.race([work(), late]).finally(() => clearTimeout(timer));
}

export function budgetError(err) {
  return { name: err?.name, budget: err?.[Symbol.for('costtrace.BudgetExceededError')] === true, action: err?.action };
}
