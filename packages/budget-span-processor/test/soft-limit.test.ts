import type { Span } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { priceCall } from '@costtrace/pricing';
import {
  ATTR_COSTTRACE_BUDGET_DOWNGRADED_FROM,
  ATTR_COSTTRACE_BUDGET_SAVED_USD,
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_COSTTRACE_BUDGET_SCOPE,
  ATTR_COSTTRACE_BUDGET_SPENT_USD,
  ATTR_COSTTRACE_BUDGET_WARN_RATIO,
  ATTR_GEN_AI_REQUEST_MODEL,
  EVENT_COSTTRACE_BUDGET_WARNING,
} from '@costtrace/semconv';
import { InMemoryBudgetStore } from '../src/index';
import { setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

const keyOf = (span: Span) => `${span.spanContext().traceId}-${span.spanContext().spanId}`;
const opus = { provider: 'anthropic', model: 'claude-opus-4-7' };

describe('soft limit', () => {
  it('adds a warning event at warn_ratio and sends later calls to the cheaper model', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store, downgrades: { 'claude-opus-4-7': 'claude-haiku-4-5' } });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1, [ATTR_COSTTRACE_BUDGET_WARN_RATIO]: 0.5 } });

    const before = env.call(agent, opus);
    expect(before.model).toBe('claude-opus-4-7');
    // Opus at $5/$25 per MTok: 20,000 × 5 + 20,000 × 25 = $0.60 ≥ 0.5 × $1.
    before.recordUsage({ inputTokens: 20_000, outputTokens: 20_000 }, false);
    before.end();
    expect(env.log.warnings).toEqual([]);

    const after = env.call(agent, { ...opus, estimate: { inputTokens: 1000, maxOutputTokens: 1000 } });
    expect(after.model).toBe('claude-haiku-4-5');
    // The reservation uses the cheaper model's price: 1000 × $1 + 1000 × $5 per MTok = $0.006 (not Opus's $0.03).
    expect(store.get(keyOf(agent))!.reservedPico).toBe(6_000_000_000n);
    const usage = { inputTokens: 1000, outputTokens: 1000 };
    after.recordUsage(usage, false);
    after.end();
    const saved = priceCall({ ...opus, usage }).totalPico! - priceCall({ provider: 'anthropic', model: 'claude-haiku-4-5', usage }).totalPico!;
    expect(saved).toBe(24_000_000_000n); // $0.024 saved on this call
    expect(store.get(keyOf(agent))!.settledPico).toBe(600_000_000_000n + 6_000_000_000n);
    agent.end();

    const span = env.collector.spans.find((s) => s.spanContext().spanId === after.span.spanContext().spanId)!;
    expect([span.name, span.attributes[ATTR_GEN_AI_REQUEST_MODEL], span.attributes[ATTR_COSTTRACE_BUDGET_DOWNGRADED_FROM]]).toEqual([
      'chat claude-haiku-4-5',
      'claude-haiku-4-5',
      'claude-opus-4-7',
    ]);
    // Opus 1000 × 5 + 1000 × 25 = $0.030; Haiku 1000 × 1 + 1000 × 5 = $0.006: $0.024 saved, on the span.
    expect(span.attributes[ATTR_COSTTRACE_BUDGET_SAVED_USD]).toBe(0.024);
    expect(env.ended('agent').events.map((e) => [e.name, e.attributes])).toEqual([
      [
        EVENT_COSTTRACE_BUDGET_WARNING,
        { [ATTR_COSTTRACE_BUDGET_SCOPE]: 'agent', [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1, [ATTR_COSTTRACE_BUDGET_SPENT_USD]: 0.6, [ATTR_COSTTRACE_BUDGET_WARN_RATIO]: 0.5 },
      ],
    ]);
  });

  it('uses the default warn ratio of 0.8 and leaves models without a downgrade alone', () => {
    env = setup({ downgrades: { 'claude-opus-4-7': 'claude-haiku-4-5' } });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0.01 } });
    const small = { inputTokens: 10, maxOutputTokens: 10 };
    const settle = (input: number, output: number, maxOutputTokens: number) => {
      const c = env!.call(agent, { estimate: { inputTokens: input, maxOutputTokens } });
      c.recordUsage({ inputTokens: input, outputTokens: output }, false);
      c.end();
    };
    const opusModel = () => {
      const c = env!.call(agent, { ...opus, estimate: small });
      c.end();
      return c.model;
    };
    settle(10_000, 10_000, 10_000); // 1,500,000,000 + 6,000,000,000 = 75 % of 10,000,000,000
    expect(opusModel()).toBe('claude-opus-4-7');
    settle(1000, 100, 100); // + 210,000,000 → 77.1 %
    expect(opusModel()).toBe('claude-opus-4-7');
    settle(1000, 1000, 100); // + 750,000,000 → 84.6 %
    expect(opusModel()).toBe('claude-haiku-4-5');
    const mini = env.call(agent, { estimate: small });
    expect(mini.model).toBe('gpt-4o-mini');
    mini.end();
    agent.end();
  });
});

describe('downgrades from the environment', () => {
  it.each([
    ['claude-opus-4-7=claude-haiku-4-5, gpt-4.1=gpt-4.1-mini', []],
    ['{"claude-opus-4-7":"claude-haiku-4-5"}', []],
    ['claude-opus-4-7=claude-haiku-4-5,broken', ['BudgetSpanProcessor: COSTTRACE_BUDGET_DOWNGRADES entry "broken" is not from=to; ignored']],
  ])('reads COSTTRACE_BUDGET_DOWNGRADES=%s', (value, warnings) => {
    process.env.COSTTRACE_BUDGET_DOWNGRADES = value;
    try {
      env = setup();
      const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1, [ATTR_COSTTRACE_BUDGET_WARN_RATIO]: 0.5 } });
      const first = env.call(agent, opus);
      first.recordUsage({ inputTokens: 20_000, outputTokens: 20_000 }, false);
      first.end();
      const second = env.call(agent, opus);
      expect(second.model).toBe('claude-haiku-4-5');
      second.end();
      agent.end();
      expect(env.log.warnings).toEqual(warnings);
    } finally {
      delete process.env.COSTTRACE_BUDGET_DOWNGRADES;
    }
  });
});
