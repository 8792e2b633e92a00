// Helpers for the fetch scenarios: plain `fetch`, as the Vercel AI SDK, Mastra or an app's own code sends it.

export function postJson(url, body, { headers = {}, ...init } = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-secret', ...headers },
    body: JSON.stringify(body),
    ...init,
  });
}

/** SSE text as the caller sees it: each event's name and data, run-specific ids and times dropped. */
export function events(text) {
  return text
    .split(/\r?\n\r?\n/)
    .filter((e) => e.trim() !== '')
    .map((e) => {
      const name = /^event: (.*)$/m.exec(e)?.[1];
      const data = /^data: (.*)$/m.exec(e)?.[1];
      return { ...(name ? { event: name } : {}), data: data === '[DONE]' ? data : withoutIds(JSON.parse(data)) };
    });
}

export function withoutIds(value) {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'id' || key === 'created' || key === 'created_at' || key === 'responseId' ? undefined : v)));
}

export function budgetError(err) {
  return { name: err?.name, budget: err?.[Symbol.for('costtrace.BudgetExceededError')] === true, action: err?.action };
}
