import { afterEach, describe, expect, it } from 'vitest';
import { PriceCatalog } from '@costtrace/pricing';
import { chatAttributes, child, harness, type Harness } from './support';

let h: Harness;
afterEach(async () => {
  await h.shutdown();
});

/** A run span with one call under it; returns the call's ended attributes. */
function oneCall(attributes: Record<string, unknown>, name = 'chat gpt-4o-mini') {
  const run = h.tracer.startSpan('invoke_workflow nightly', {
    attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'run-1' },
  });
  child(h.tracer, name, attributes as never, run).end();
  run.end();
  return h.span(name).attributes;
}

const VERSION = 'genai-prices@0.1.8';
const RUN = { 'costtrace.run.id': 'run-1' };
const leafSubtree = (cost: number | undefined, input: number, output: number, unpriced = 0) => ({
  ...(cost === undefined ? {} : { 'costtrace.subtree.cost_usd': cost }),
  'costtrace.subtree.llm_calls': 1,
  'costtrace.subtree.input_tokens': input,
  'costtrace.subtree.output_tokens': output,
  'costtrace.subtree.unpriced_calls': unpriced,
});

describe('leaf pricing', () => {
  it('prices a chat span from its usage, billed by the response model, with the whole leaf contract', () => {
    h = harness();
    const attrs = chatAttributes('gpt-4o-mini', 1000, 500, {
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.cache_read.input_tokens': 200,
    });
    expect(oneCall(attrs)).toEqual({
      ...attrs,
      // 800 uncached × $0.15/M + 200 cached × $0.075/M + 500 × $0.60/M
      'gen_ai.usage.cost.amount': 0.000435,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costtrace.cost.input_usd': 0.00012,
      'costtrace.cost.output_usd': 0.0003,
      'costtrace.cost.cache_read_usd': 0.000015,
      'costtrace.cost.cache_write_usd': 0,
      'costtrace.pricing.status': 'priced',
      'costtrace.pricing.model': 'gpt-4o-mini',
      'costtrace.pricing.provider': 'openai',
      'costtrace.pricing.version': VERSION,
      ...RUN,
      ...leafSubtree(0.000435, 1000, 500),
    });
  });

  it('writes no cost number for an unknown model: unpriced with the catalog reason, never $0', () => {
    h = harness();
    const attrs = chatAttributes('my-finetune', 1000, 500);
    expect(oneCall(attrs)).toEqual({
      ...attrs,
      'costtrace.pricing.status': 'unpriced',
      'costtrace.pricing.version': VERSION,
      'costtrace.pricing.reason':
        "model 'my-finetune' is not in the price catalog (genai-prices@0.1.8) for provider 'openai'; add a price override (code or COSTTRACE_PRICES_FILE)",
      ...RUN,
      ...leafSubtree(undefined, 1000, 500, 1),
    });
  });

  it('marks usage that cannot be right as invalid, with the reason, and counts no tokens', () => {
    h = harness();
    const attrs = chatAttributes('gpt-4o-mini', -5, 500);
    expect(oneCall(attrs)).toEqual({
      ...attrs,
      'costtrace.pricing.status': 'invalid',
      'costtrace.pricing.version': VERSION,
      'costtrace.pricing.reason': 'usage.inputTokens must be a non-negative integer, got -5',
      ...RUN,
      ...leafSubtree(undefined, 0, 0, 1),
    });
  });

  it('falls back to the request model when the response model is unknown to the catalog', () => {
    h = harness();
    const attrs = chatAttributes('gpt-4o-mini', 1000, 500, { 'gen_ai.response.model': 'proxy-route-7' });
    const out = oneCall(attrs);
    expect(out['costtrace.pricing.status']).toBe('priced');
    expect(out['costtrace.pricing.model']).toBe('gpt-4o-mini');
    expect(out['gen_ai.usage.cost.amount']).toBe(0.00045);
  });

  it('writes request_usd only when a per-request fee applies', () => {
    const catalog = new PriceCatalog({
      overrides: [{ provider: 'vllm', model: 'llama-x', id: 'house', prices: { inputPerMTok: 1, outputPerMTok: 2, perRequest: 0.001 } }],
    });
    h = harness({ catalog });
    const attrs = { ...chatAttributes('llama-x', 1000, 1000), 'gen_ai.provider.name': 'vllm' };
    expect(oneCall(attrs)).toEqual({
      ...attrs,
      // 1000 × $1/M + 1000 × $2/M + $0.001
      'gen_ai.usage.cost.amount': 0.004,
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'costtrace.cost.input_usd': 0.001,
      'costtrace.cost.output_usd': 0.002,
      'costtrace.cost.cache_read_usd': 0,
      'costtrace.cost.cache_write_usd': 0,
      'costtrace.cost.request_usd': 0.001,
      'costtrace.pricing.status': 'priced',
      'costtrace.pricing.model': 'house',
      'costtrace.pricing.provider': 'vllm',
      'costtrace.pricing.version': 'override:house',
      ...RUN,
      ...leafSubtree(0.004, 1000, 1000),
    });
  });

  it.each([
    ['the instrumentation estimated the counts', { 'costtrace.usage.estimated': true }, "token counts are the instrumentation's estimate, not the provider's"],
    ['the caller cancelled the stream', { 'costtrace.call.outcome': 'cancelled' }, 'the call was cancelled; usage is what had arrived'],
    ['a budget aborted the call', { 'costtrace.call.outcome': 'budget_aborted' }, 'a budget aborted the call; usage is what had arrived'],
  ])('prices partial usage as estimated when %s', (_label, extra, reason) => {
    h = harness();
    const out = oneCall(chatAttributes('gpt-4o-mini', 1000, 500, extra));
    expect(out['costtrace.pricing.status']).toBe('estimated');
    expect(out['costtrace.pricing.reason']).toBe(reason);
    expect(out['gen_ai.usage.cost.amount']).toBe(0.00045);
    expect(out['costtrace.subtree.cost_usd']).toBe(0.00045);
  });

  it('counts a call without usage as unpriced, and a budget-refused call (never sent) not at all', () => {
    h = harness();
    const run = h.tracer.startSpan('run', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'r' } });
    const failed = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'costtrace.call.outcome': 'error' };
    const refused = { ...failed, 'costtrace.call.outcome': 'budget_refused' };
    child(h.tracer, 'failed', failed, run).end();
    child(h.tracer, 'refused', refused, run).end();
    run.end();
    expect(h.span('failed').attributes).toEqual({
      ...failed,
      'costtrace.pricing.status': 'unpriced',
      'costtrace.pricing.reason': 'the span carries no token usage',
      'costtrace.run.id': 'r',
      ...leafSubtree(undefined, 0, 0, 1),
    });
    expect(h.span('refused').attributes).toEqual({ ...refused, 'costtrace.run.id': 'r' });
    expect(h.span('run').attributes['costtrace.subtree.llm_calls']).toBe(1);
  });

  it('prices an embeddings span', () => {
    h = harness();
    const attrs = { ...chatAttributes('text-embedding-3-small', 1000, 0), 'gen_ai.operation.name': 'embeddings' };
    const out = oneCall(attrs, 'embeddings text-embedding-3-small');
    // 1000 × $0.02/M
    expect(out['gen_ai.usage.cost.amount']).toBe(0.00002);
  });
});
