import { afterEach, describe, expect, it } from 'vitest';
import { chatAttributes, child, harness, type Harness } from './support';

let h: Harness;
afterEach(async () => {
  await h.shutdown();
});

/** A run span with calls under it; returns the ended attributes of the calls and the run. */
function underRun(calls: Array<Record<string, unknown>>) {
  const run = h.tracer.startSpan('invoke_workflow nightly', {
    attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'run-1' },
  });
  calls.forEach((attributes, i) => child(h.tracer, `chat ${i}`, attributes as never, run).end());
  run.end();
  return { calls: calls.map((_, i) => h.span(`chat ${i}`).attributes), run: h.span('invoke_workflow nightly').attributes };
}

const RUN = { 'costtrace.run.id': 'run-1' };
const leafSubtree = (cost: number, input: number, output: number) => ({
  'costtrace.subtree.cost_usd': cost,
  'costtrace.subtree.llm_calls': 1,
  'costtrace.subtree.input_tokens': input,
  'costtrace.subtree.output_tokens': output,
  'costtrace.subtree.unpriced_calls': 0,
});

describe('a call on a service tier is priced as billed', () => {
  it('prices a priority response at the priority rates, not the standard ones', () => {
    h = harness();
    const attrs = chatAttributes('gpt-5', 1000, 1000, { 'openai.request.service_tier': 'auto', 'openai.response.service_tier': 'priority' });
    const { calls } = underRun([attrs]);
    expect(calls[0]).toEqual({
      ...attrs,
      // 1000 × $2.50/M + 1000 × $20/M (standard would be $1.25 and $10)
      'gen_ai.usage.cost.amount': 0.0225,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costtrace.cost.input_usd': 0.0025,
      'costtrace.cost.output_usd': 0.02,
      'costtrace.cost.cache_read_usd': 0,
      'costtrace.cost.cache_write_usd': 0,
      'costtrace.pricing.status': 'priced',
      'costtrace.pricing.model': 'gpt-5',
      'costtrace.pricing.provider': 'openai',
      'costtrace.pricing.version': 'costtrace-service-tiers@2025-10',
      ...RUN,
      ...leafSubtree(0.0225, 1000, 1000),
    });
  });

  it('prices an Anthropic batch response at half', () => {
    h = harness();
    const attrs = {
      ...chatAttributes('claude-sonnet-4-5', 1000, 1000, { 'anthropic.response.service_tier': 'batch' }),
      'gen_ai.provider.name': 'anthropic',
    };
    // (1000 × $3 + 1000 × $15) / 2 per million
    expect(underRun([attrs]).calls[0]!['gen_ai.usage.cost.amount']).toBe(0.009);
  });
});

describe('a provider-reported cost', () => {
  // gpt-4o-mini: 1000 × $0.15/M + 500 × $0.60/M = $0.00045 locally
  const local = {
    'costtrace.cost.input_usd': 0.00015,
    'costtrace.cost.output_usd': 0.0003,
    'costtrace.cost.cache_read_usd': 0,
    'costtrace.cost.cache_write_usd': 0,
    'costtrace.pricing.model': 'gpt-4o-mini',
    'costtrace.pricing.provider': 'openai',
    'costtrace.pricing.version': 'genai-prices@0.1.8',
  };

  it('is the call cost, with the local price, the difference and a mismatch flag beside it', () => {
    h = harness();
    const attrs = chatAttributes('gpt-4o-mini', 1000, 500, { 'costtrace.provider.cost_usd': 0.0005 });
    const { calls, run } = underRun([attrs]);
    expect(calls[0]).toEqual({
      ...attrs,
      ...local,
      'gen_ai.usage.cost.amount': 0.0005,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'provider',
      'costtrace.cost.local_usd': 0.00045,
      'costtrace.pricing.provider_cost_diff_usd': 0.00005,
      'costtrace.pricing.provider_cost_mismatch': true,
      'costtrace.pricing.status': 'priced',
      ...RUN,
      ...leafSubtree(0.0005, 1000, 500),
    });
    // The billed figure rolls up.
    expect(run['costtrace.subtree.cost_usd']).toBe(0.0005);
  });

  it('agrees within the tolerance: 1% of the larger figure', () => {
    h = harness();
    const { calls } = underRun([
      chatAttributes('gpt-4o-mini', 1000, 500, { 'costtrace.provider.cost_usd': 0.0004545 }),
      chatAttributes('gpt-4o-mini', 1000, 500, { 'costtrace.provider.cost_usd': 0.000455 }),
    ]);
    expect(calls.map((c) => [c['costtrace.pricing.provider_cost_diff_usd'], c['costtrace.pricing.provider_cost_mismatch']])).toEqual([
      [0.0000045, false],
      [0.000005, true],
    ]);
  });

  it('prices a call the catalog does not know from the provider figure alone, saying why', () => {
    h = harness();
    const attrs = { ...chatAttributes('some-router/odd-model', 1000, 500), 'gen_ai.provider.name': 'openrouter', 'costtrace.provider.cost_usd': 0.00123 };
    const { calls, run } = underRun([attrs]);
    expect(calls[0]).toEqual({
      ...attrs,
      'gen_ai.usage.cost.amount': 0.00123,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'provider',
      'costtrace.pricing.status': 'priced',
      'costtrace.pricing.version': 'genai-prices@0.1.8',
      'costtrace.pricing.reason':
        "priced from the provider-reported cost; no local price: model 'some-router/odd-model' is not in the price catalog (genai-prices@0.1.8) for provider 'openrouter'; add a price override (code or COSTTRACE_PRICES_FILE)",
      ...RUN,
      ...leafSubtree(0.00123, 1000, 500),
    });
    expect(run['costtrace.subtree.unpriced_calls']).toBe(0);
  });

  it('takes the figure from the nested duplicate that carries it (our wire-level span inside another instrumentation’s)', () => {
    h = harness();
    const run = h.tracer.startSpan('invoke_workflow nightly', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'run-1' } });
    const outer = child(h.tracer, 'chat outer', chatAttributes('gpt-4o-mini', 1000, 500) as never, run);
    child(h.tracer, 'chat inner', chatAttributes('gpt-4o-mini', 1000, 500, { 'costtrace.provider.cost_usd': 0.0005 }) as never, outer).end();
    outer.end();
    run.end();
    const a = h.span('chat outer').attributes;
    expect([a['gen_ai.usage.cost.source'], a['gen_ai.usage.cost.amount'], a['costtrace.cost.local_usd']]).toEqual(['provider', 0.0005, 0.00045]);
    expect(h.span('chat inner').attributes['costtrace.pricing.status']).toBe('duplicate');
    expect(h.span('invoke_workflow nightly').attributes['costtrace.subtree.cost_usd']).toBe(0.0005);
  });

  it('ignores a figure that cannot be a cost', () => {
    h = harness();
    const { calls } = underRun([
      chatAttributes('gpt-4o-mini', 1000, 500, { 'costtrace.provider.cost_usd': -1 }),
      chatAttributes('gpt-4o-mini', 1000, 500, { 'costtrace.provider.cost_usd': '0.1' }),
    ]);
    for (const c of calls) {
      expect(c['gen_ai.usage.cost.source']).toBe('local');
      expect(c['gen_ai.usage.cost.amount']).toBe(0.00045);
      expect(c).not.toHaveProperty('costtrace.cost.local_usd');
    }
  });
});
