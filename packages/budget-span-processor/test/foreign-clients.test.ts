import { context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTR_COSTTRACE_BUDGET_LIMIT_USD } from '@costtrace/semconv';
import { InMemoryBudgetStore } from '../src/index';
import { MINI_IN, MINI_OUT, setup } from './support';

// Model calls costtrace sees but cannot gate: spans other instrumentations write (the official
// OpenAI instrumentation, the Vercel AI SDK's own telemetry, OpenLLMetry, OpenInference). Under a
// budget each client gets one warning naming it, and each call is counted after the fact, once.

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

const keyOf = (span: Span) => `${span.spanContext().traceId}-${span.spanContext().spanId}`;
const under = (parent: Span) => trace.setSpan(context.active(), parent);
const ONE_CALL = 1000n * MINI_IN + 100n * MINI_OUT;

/** The Vercel AI SDK 6's own telemetry for one generateText: the call step inside the outer span, both with usage. */
function vercelGenerateText(ai: Tracer, parent: Span, model = 'gpt-4o-mini', inner?: (step: Span) => void): void {
  const usage = { 'ai.usage.inputTokens': 1000, 'ai.usage.outputTokens': 100 };
  const outer = ai.startSpan('ai.generateText', { attributes: { 'ai.operationId': 'ai.generateText', 'ai.model.id': model, 'ai.model.provider': 'openai.chat' } }, under(parent));
  const step = ai.startSpan(
    'ai.generateText.doGenerate',
    { attributes: { 'ai.operationId': 'ai.generateText.doGenerate', 'ai.model.id': model, 'ai.model.provider': 'openai.chat' } },
    under(outer),
  );
  inner?.(step);
  step.setAttributes(usage);
  step.end();
  outer.setAttributes(usage);
  outer.end();
}

function openllmetryChat(tracer: Tracer, parent: Span | ReturnType<typeof under>, model = 'gpt-4o-mini'): Span {
  return tracer.startSpan(
    `openai.chat`,
    {
      attributes: {
        'llm.request.type': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': model,
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 100,
      },
    },
    'spanContext' in parent ? under(parent) : parent,
  );
}

describe('a budget over calls costtrace can see but not gate', () => {
  it("counts the Vercel AI SDK's own call steps once each, and warns once naming it", () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const ai = env.tracerFor('ai', '6.0.0');
    vercelGenerateText(ai, run);
    vercelGenerateText(ai, run);
    expect(store.get(keyOf(run))).toEqual({ settledPico: 2n * ONE_CALL, reservedPico: 0n, inflightPico: 0n });
    expect(env.log.warnings).toEqual([
      'BudgetSpanProcessor: a model call from the Vercel AI SDK\'s telemetry (scope "ai" 6.0.0) ("ai.generateText.doGenerate") ended under budget "run" ' +
        'without passing the budget gate: its cost is counted after the fact, but calls on that path are not refused or aborted before they spend',
    ]);
    run.end();
  });

  it('counts a call once when costtrace’s own gated span is nested in the foreign step, with no warning', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    vercelGenerateText(env.tracerFor('ai'), run, 'gpt-4o-mini', (step) => {
      const ours = env!.call(step, { streaming: false });
      ours.recordUsage({ inputTokens: 1000, outputTokens: 100 }, false);
      ours.end();
    });
    expect(store.get(keyOf(run))).toEqual({ settledPico: ONE_CALL, reservedPico: 0n, inflightPico: 0n });
    expect(env.log.warnings).toEqual([]);
    run.end();
  });

  it('counts a call once when a foreign span is nested in another foreign one, naming the outer client only', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const outer = openllmetryChat(env.tracerFor('@traceloop/instrumentation-openai', '0.20.0'), run);
    const inner = env.tracerFor('@opentelemetry/instrumentation-openai').startSpan(
      'chat gpt-4o-mini',
      { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100 } },
      under(outer),
    );
    inner.end();
    outer.end();
    expect(store.get(keyOf(run))!.settledPico).toBe(ONE_CALL);
    expect(env.log.warnings).toEqual([
      'BudgetSpanProcessor: a model call from OpenLLMetry (scope "@traceloop/instrumentation-openai" 0.20.0) ("openai.chat") ended under budget "run" ' +
        'without passing the budget gate: its cost is counted after the fact, but calls on that path are not refused or aborted before they spend',
    ]);
    run.end();
  });

  it('gives one warning per client, whatever its calls cost: an unpriced call first, priced ones after', () => {
    const store = new InMemoryBudgetStore();
    env = setup({ store });
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    const official = env.tracerFor('@opentelemetry/instrumentation-openai', '0.3.0');
    const chat = (model: string) =>
      official
        .startSpan(
          `chat ${model}`,
          { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': model, 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100 } },
          under(run),
        )
        .end();
    chat('my-finetune');
    chat('gpt-4o-mini');
    chat('my-finetune');
    chat('gpt-4o-mini');
    expect(store.get(keyOf(run))!.settledPico).toBe(2n * ONE_CALL);
    expect(env.log.warnings).toEqual([
      'BudgetSpanProcessor: a model call from "@opentelemetry/instrumentation-openai" 0.3.0 ("chat my-finetune") ended under budget "run" ' +
        'without passing the budget gate: calls on that path are not refused or aborted before they spend, and are counted after the fact; ' +
        "this one could not be priced, so it is not counted (model 'my-finetune' is not in the price catalog (genai-prices@0.1.8) for provider 'openai'; add a price override (code or COSTTRACE_PRICES_FILE)): " +
        'add a price override for the models of calls marked costtrace.pricing.status=unpriced',
    ]);
    run.end();
  });

  it('names an OpenInference client by its dialect', () => {
    env = setup();
    const run = env.tracer.startSpan('run', { attributes: { [ATTR_COSTTRACE_BUDGET_LIMIT_USD]: 1 } });
    env
      .tracerFor('@arizeai/openinference-instrumentation-openai')
      .startSpan(
        'ChatCompletion',
        { attributes: { 'openinference.span.kind': 'LLM', 'llm.system': 'openai', 'llm.model_name': 'gpt-4o-mini', 'llm.token_count.prompt': 1000, 'llm.token_count.completion': 100 } },
        under(run),
      )
      .end();
    expect(env.log.warnings).toEqual([expect.stringContaining('a model call from OpenInference (scope "@arizeai/openinference-instrumentation-openai") ("ChatCompletion")')]);
    run.end();
  });
});
