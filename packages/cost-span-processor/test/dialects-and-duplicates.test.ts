import { afterEach, describe, expect, it } from 'vitest';
import { InferenceCall } from '@costtrace/pipeline';
import { diag } from '@opentelemetry/api';
import { child, harness, type Harness } from './support';

let h: Harness;
afterEach(async () => {
  await h.shutdown();
});

function underRun(build: (run: ReturnType<Harness['tracer']['startSpan']>) => void) {
  const run = h.tracer.startSpan('run', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.id': 'r' } });
  build(run);
  run.end();
  return h.span('run').attributes;
}

// gpt-4o-mini: 1000 in × $0.15/M + 500 out × $0.60/M = $0.00045
describe('dialects', () => {
  it.each([
    ['the official @opentelemetry/instrumentation-openai (legacy gen_ai.system)', 'chat gpt-4o-mini', {
      'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500,
    }],
    ['OpenLLMetry (llm.request.type, capitalised gen_ai.system, prompt/completion tokens)', 'openai.chat', {
      'llm.request.type': 'chat', 'gen_ai.system': 'OpenAI', 'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.prompt_tokens': 1000, 'gen_ai.usage.completion_tokens': 500,
    }],
    ['OpenInference (openinference.span.kind=LLM)', 'ChatCompletion', {
      'openinference.span.kind': 'LLM', 'llm.system': 'openai', 'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.token_count.prompt': 1000, 'llm.token_count.completion': 500, 'llm.token_count.total': 1500,
    }],
    ['the Vercel AI SDK 4 (ai.generateText.doGenerate)', 'ai.generateText.doGenerate', {
      'ai.operationId': 'ai.generateText.doGenerate', 'ai.model.provider': 'openai.chat', 'ai.model.id': 'gpt-4o-mini',
      'ai.usage.promptTokens': 1000, 'ai.usage.completionTokens': 500,
    }],
    ['the Vercel AI SDK 5 (ai.streamText.doStream, gen_ai.* too)', 'ai.streamText.doStream', {
      'ai.operationId': 'ai.streamText.doStream', 'ai.model.provider': 'openai.responses', 'ai.model.id': 'gpt-4o-mini',
      'gen_ai.system': 'openai.responses', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.response.model': 'gpt-4o-mini',
      'ai.usage.inputTokens': 1000, 'ai.usage.outputTokens': 500,
    }],
    ['@anthropic-ai/sdk\'s own span', 'anthropic.messages.create', {
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500,
    }],
  ])('prices a call recorded by %s', (_label, name, attrs) => {
    h = harness();
    underRun((run) => child(h.tracer, name, attrs, run).end());
    const out = h.span(name).attributes;
    expect(out['costtrace.pricing.status']).toBe('priced');
    // claude-sonnet-4-5: 1000 × $3/M + 500 × $15/M = $0.0105
    expect(out['gen_ai.usage.cost.amount']).toBe(name.startsWith('anthropic') ? 0.0105 : 0.00045);
    expect(out['costtrace.subtree.llm_calls']).toBe(1);
    expect(out['costtrace.run.id']).toBe('r');
  });

  it.each([
    ['an agent span with summed usage', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'a' }],
    ['a workflow span with summed usage', { 'gen_ai.operation.name': 'invoke_workflow' }],
    ['a Vercel ai.generateText wrapper', { 'ai.operationId': 'ai.generateText', 'ai.model.id': 'gpt-4o-mini', 'ai.model.provider': 'openai.chat' }],
    ['an OpenInference CHAIN span', { 'openinference.span.kind': 'CHAIN', 'llm.model_name': 'gpt-4o-mini' }],
    ['a plain span with usage and no operation', { 'gen_ai.request.model': 'gpt-4o-mini' }],
  ])('never prices %s', (_label, attrs) => {
    h = harness();
    const usage = { 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500, 'ai.usage.promptTokens': 1000 };
    underRun((run) => child(h.tracer, 'wrapper', { ...attrs, ...usage }, run).end());
    expect(h.span('wrapper').attributes).toEqual({ ...attrs, ...usage });
  });
});

describe('duplicates', () => {
  it('marks a nested inference span of the same call duplicate and counts the call once', () => {
    h = harness();
    const runAttrs = underRun((run) => {
      const outer = child(h.tracer, 'chat gpt-4o-mini', { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' }, run);
      const inner = child(h.tracer, 'openai.chat', { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500 }, outer);
      inner.end();
      outer.setAttributes({ 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500 });
      outer.end();
    });
    const outer = h.span('chat gpt-4o-mini');
    expect(h.span('openai.chat').attributes).toEqual({
      'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500,
      'costtrace.pricing.status': 'duplicate',
      'costtrace.pricing.reason': `counted on the enclosing model-call span ${outer.spanContext().spanId}`,
      'costtrace.run.id': 'r',
    });
    expect(outer.attributes['costtrace.pricing.status']).toBe('priced');
    expect(outer.attributes['costtrace.subtree.llm_calls']).toBe(1);
    expect(runAttrs['costtrace.subtree.llm_calls']).toBe(1);
    expect(runAttrs['costtrace.subtree.cost_usd']).toBe(0.00045);
  });

  it('prices the outer span from its duplicate\'s usage when it has none of its own', () => {
    h = harness();
    const runAttrs = underRun((run) => {
      const outer = child(h.tracer, 'ChatCompletion', { 'openinference.span.kind': 'LLM' }, run);
      child(h.tracer, 'chat gpt-4o-mini', { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500 }, outer).end();
      outer.end();
    });
    expect(h.span('chat gpt-4o-mini').attributes['costtrace.pricing.status']).toBe('duplicate');
    expect(h.span('ChatCompletion').attributes['gen_ai.usage.cost.amount']).toBe(0.00045);
    expect(runAttrs['costtrace.subtree.llm_calls']).toBe(1);
    expect(runAttrs['costtrace.subtree.cost_usd']).toBe(0.00045);
  });

  it('prices a call driven through InferenceCall from core (our instrumentations\' path)', () => {
    h = harness();
    const call = InferenceCall.start({
      tracer: h.tracer, diag, provider: 'openai', operation: 'chat', requestModel: 'gpt-4o-mini', streaming: false,
      estimate: { inputTokens: 1000, maxOutputTokens: 600, choices: 1 },
    });
    call.setAttributes({ 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18' });
    call.recordUsage({ inputTokens: 1000, outputTokens: 500 }, false);
    call.end({ finishReasons: ['stop'], responseModel: 'gpt-4o-mini-2024-07-18' });
    const span = h.span('chat gpt-4o-mini');
    const { traceId, spanId } = span.spanContext();
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500,
      'gen_ai.response.finish_reasons': ['stop'], 'costtrace.call.outcome': 'completed',
      'gen_ai.usage.cost.amount': 0.00045, 'gen_ai.usage.cost.currency': 'USD', 'gen_ai.usage.cost.source': 'local',
      'costtrace.cost.input_usd': 0.00015, 'costtrace.cost.output_usd': 0.0003, 'costtrace.cost.cache_read_usd': 0, 'costtrace.cost.cache_write_usd': 0,
      'costtrace.pricing.status': 'priced', 'costtrace.pricing.model': 'gpt-4o-mini', 'costtrace.pricing.provider': 'openai',
      'costtrace.pricing.version': 'genai-prices@0.1.8',
      // A call with no parent is its own local root, hence its own run.
      'costtrace.run.id': `${traceId}-${spanId}`,
      'costtrace.subtree.cost_usd': 0.00045, 'costtrace.subtree.llm_calls': 1, 'costtrace.subtree.input_tokens': 1000,
      'costtrace.subtree.output_tokens': 500, 'costtrace.subtree.unpriced_calls': 0,
    });
  });
});
