import { PriceCatalog } from '@costtrace/pricing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ATTR_COSTTRACE_BUDGET_LIMIT_USD } from '@costtrace/semconv';
import { InMemoryBudgetStore } from '../src/index';
import { MINI_IN, MINI_OUT, setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
  vi.restoreAllMocks();
});

describe('running charges while a stream flows', () => {
  it("resolve the call's rates once, then charge each usage update at them, exactly", () => {
    const catalog = new PriceCatalog();
    const store = new InMemoryBudgetStore();
    env = setup({ catalog, store });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const key = `${agent.spanContext().traceId}-${agent.spanContext().spanId}`;
    const c = env.call(agent, { estimate: { inputTokens: 1000, maxOutputTokens: 10 } });
    const price = vi.spyOn(catalog, 'price');
    const rates = vi.spyOn(catalog, 'rates');
    for (let out = 50; out <= 500; out += 50) c.recordUsage({ inputTokens: 1000, outputTokens: out }, true);
    expect([rates.mock.calls.length, price.mock.calls.length]).toEqual([1, 0]);
    // Running cost of the last update: 1000 × 0.15 + 500 × 0.60 per million = 450 µ$, held above the reservation.
    expect(store.get(key)!.inflightPico).toBe(1000n * MINI_IN + 500n * MINI_OUT);
    c.end();
    agent.end();
  });
});
