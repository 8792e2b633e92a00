import { context, trace, type Span } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { clearUnpatchedModules, reportUnpatchedModule } from '@costtrace/pipeline';
import {
  ATTR_COSTTRACE_BUDGET_LIMIT_USD,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@costtrace/semconv';
import { BudgetExceededError, InMemoryBudgetStore } from '../src/index';
import { MINI_IN, MINI_OUT, setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
  clearUnpatchedModules();
});

const keyOf = (span: Span) => `${span.spanContext().traceId}-${span.spanContext().spanId}`;
const ft = { model: 'my-ft-model' };

describe('a budget that cannot be enforced is never silently off', () => {
  it('refuses a call to an unpriced model by default, naming the price override to add', () => {
    env = setup();
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 100 } });
    const message =
      'costtrace budget "agent" refused a openai my-ft-model call: the model has no price, so the budget cannot be enforced; ' +
      "add a price override for openai/my-ft-model via COSTTRACE_PRICES_FILE or PriceCatalog overrides (or set the BudgetSpanProcessor's unpricedPolicy to 'reserve' or 'allow')";
    expect(() => env!.call(agent, ft)).toThrowError(message);
    expect(() => env!.call(agent, ft)).toThrow(BudgetExceededError);
    expect(env.log.warnings).toEqual([`BudgetSpanProcessor: ${message}`]);
    agent.end();
  });

  it('reserves and charges an unpriced model at the fallback price under the reserve policy', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store, unpricedPolicy: 'reserve', unpricedFallbackUsdPerMTok: 10 });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const c = env.call(agent, ft);
    // $10 per MTok = 10,000,000 pico per token; (1000 input + 100 max output) × 10,000,000.
    expect(store.get(keyOf(agent))!.reservedPico).toBe(11_000_000_000n);
    c.recordUsage({ inputTokens: 1000, outputTokens: 30 }, false);
    c.end();
    expect(store.get(keyOf(agent))).toEqual({ settledPico: 10_300_000_000n, reservedPico: 0n, inflightPico: 0n });
    expect(env.log.warnings).toEqual([expect.stringContaining('openai/my-ft-model has no price; calls to it under a budget are reserved and charged at the fallback price (10 USD per million tokens)')]);
    agent.end();
  });

  it('allows an unpriced model uncounted under the allow policy, with one warning', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store, unpricedPolicy: 'allow' });
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 0 } });
    for (let i = 0; i < 2; i++) {
      const c = env.call(agent, ft);
      c.recordUsage({ inputTokens: 1000, outputTokens: 30 }, false);
      c.end();
    }
    expect(store.get(keyOf(agent))).toEqual({ settledPico: 0n, reservedPico: 0n, inflightPico: 0n });
    expect(env.log.warnings).toEqual([expect.stringContaining('allowed and not counted')]);
    agent.end();
  });

  it('charges an inference span that never passed the gate after the fact, with one warning', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const { tracer } = env;
    const run = tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    // A span another instrumentation wrote: it carries usage but never asked the gate.
    for (let i = 0; i < 2; i++) {
      const span = tracer.startSpan(
        'chat gpt-4o-mini',
        {
          attributes: {
            [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
            [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
            [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
            [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1000,
            [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 10,
          },
        },
        trace.setSpan(context.active(), run),
      );
      span.end();
    }
    expect(store.get(keyOf(run))).toEqual({ settledPico: 2n * (1000n * MINI_IN + 10n * MINI_OUT), reservedPico: 0n, inflightPico: 0n });
    expect(env.log.warnings).toEqual([
      'BudgetSpanProcessor: a model call from "test" ("chat gpt-4o-mini") ended under budget "run" without passing the budget gate: ' +
        'its cost is counted after the fact, but calls on that path are not refused or aborted before they spend',
    ]);
    run.end();
  });

  it('does not count an SDK span nested inside a gated call twice', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const c = env.call(run);
    const inner = env.tracer.startSpan(
      'chat gpt-4o-mini',
      { attributes: { [ATTR_GEN_AI_OPERATION_NAME]: 'chat', [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini', [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1000 } },
      c.context,
    );
    inner.end();
    c.recordUsage({ inputTokens: 1000, outputTokens: 0 }, false);
    c.end();
    expect(store.get(keyOf(run))!.settledPico).toBe(1000n * MINI_IN);
    expect(env.log.warnings).toEqual([]);
    run.end();
  });

  it('warns once when a budget is used while an SDK was left unpatched', () => {
    reportUnpatchedModule({ module: 'openai', version: '3.0.0', reason: 'unsupported version' });
    env = setup();
    const agent = env.tracer.startSpan('agent', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    env.call(agent).end();
    env.call(agent).end();
    agent.end();
    expect(env.log.warnings).toEqual([
      'BudgetSpanProcessor: budgets are in use but these SDKs were left unpatched, so their calls are neither counted nor stopped: openai@3.0.0 (unsupported version)',
    ]);
  });
});
