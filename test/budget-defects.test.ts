// How the cost and budget processors work together on spans costtrace's own instrumentations did
// not make: a call charged after the fact is counted once, whoever recorded it.
import { context, diag, trace, type Attributes } from '@opentelemetry/api';
import { InferenceCall } from '@costtrace/pipeline';
import { PriceCatalog } from '@costtrace/pricing';
import { afterEach, describe, expect, it } from 'vitest';
import { withAgent } from '@costtrace/core';
import { inProcessPipeline } from './helpers/in-process-pipeline';

let h: ReturnType<typeof inProcessPipeline> | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

// gpt-4o-mini: $0.15 and $0.60 per million tokens. 1000 × 0.15 + 100 × 0.60 = 150 + 60 = 210 µ$.
const CALL_USD = 0.00021;
const USAGE = { 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100 };
const FOREIGN_CHAT: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', ...USAGE };
// The Vercel AI SDK 6 model-call spans: ai.* and gen_ai.usage.* attributes, no gen_ai.operation.name.
const AI_SDK_GENERATE: Attributes = {
  'ai.operationId': 'ai.generateText.doGenerate',
  'ai.model.provider': 'openai.chat',
  'ai.model.id': 'gpt-4o-mini',
  'ai.usage.inputTokens': 1000,
  'ai.usage.outputTokens': 100,
  ...USAGE,
};
const AI_SDK_STREAM: Attributes = { ...AI_SDK_GENERATE, 'ai.operationId': 'ai.streamText.doStream' };

/** Ends a span named `name` with `attributes` under `parent`, the way another instrumentation would. */
function foreignCall(name: string, attributes: Attributes, parent: ReturnType<NonNullable<typeof h>['tracer']['startSpan']>) {
  const span = h!.tracer.startSpan(name, {}, trace.setSpan(context.active(), parent));
  // Usage arrives with the response, after the span started.
  span.setAttributes(attributes);
  span.end();
}

describe.each([
  ['wired together (shared hand-off)', true],
  ['constructed alone, as register does', false],
])('a model call that never passed the gate, processors %s', (_label, linked) => {
  it('is charged once to the budget above it (the scope opened by the charge is not seeded with the same call)', () => {
    h = inProcessPipeline({ linked });
    const agent = h.tracer.startSpan('invoke_agent a', { attributes: { 'costtrace.budget.limit_usd': 1 } });
    foreignCall('chat gpt-4o-mini', FOREIGN_CHAT, agent);
    foreignCall('chat gpt-4o-mini', FOREIGN_CHAT, agent);
    agent.end();
    const out = h.ended('invoke_agent a').attributes;
    expect(out['costtrace.subtree.cost_usd']).toBe(2 * CALL_USD);
    expect(out['costtrace.budget.spent_usd']).toBe(2 * CALL_USD);
  });

  it.each([
    ['ai.generateText.doGenerate', AI_SDK_GENERATE],
    ['ai.streamText.doStream', AI_SDK_STREAM],
  ])('a Vercel AI SDK %s span is priced and charged to the budget above it', (name, attrs) => {
    h = inProcessPipeline({ linked });
    const agent = h.tracer.startSpan('invoke_agent a', { attributes: { 'costtrace.budget.limit_usd': 0.0003 } });
    foreignCall(name, attrs, agent);
    expect(h.ended(name).attributes['gen_ai.usage.cost.amount']).toBe(CALL_USD);
    foreignCall(name, attrs, agent);
    agent.end();
    const out = h.ended('invoke_agent a').attributes;
    // Two calls: 420 µ$ > the 300 µ$ limit, counted after the fact (nothing could stop them).
    expect(out['costtrace.budget.spent_usd']).toBe(2 * CALL_USD);
    expect(out['costtrace.budget.exceeded']).toBe(true);
  });
});

describe('the agent name stamped on a call', () => {
  it("a nameless invoke_agent span (a framework's) does not hide the name withAgent set above it", () => {
    h = inProcessPipeline({ linked: true });
    const { tracer } = h;
    withAgent('researcher', { tracer }, () => {
      const framework = tracer.startSpan('invoke_agent', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
      foreignCall('chat gpt-4o-mini', FOREIGN_CHAT, framework);
      framework.end();
    });
    expect(h.ended('chat gpt-4o-mini').attributes['gen_ai.agent.name']).toBe('researcher');
  });

  it('the nearest named agent wins over one further up', () => {
    h = inProcessPipeline({ linked: true });
    const { tracer } = h;
    withAgent('planner', { tracer }, () =>
      withAgent('writer', { tracer }, () => {
        const framework = tracer.startSpan('invoke_agent', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
        foreignCall('chat gpt-4o-mini', FOREIGN_CHAT, framework);
        framework.end();
      }),
    );
    expect(h.ended('chat gpt-4o-mini').attributes['gen_ai.agent.name']).toBe('writer');
  });
});

describe('a finished call is priced once', () => {
  it('the budget settles a gated call with the price the cost processor put on its span', () => {
    const catalog = new PriceCatalog();
    let prices = 0;
    const price = catalog.price.bind(catalog);
    catalog.price = (call) => {
      prices++;
      return price(call);
    };
    h = inProcessPipeline({ linked: true, costs: { catalog }, budgets: { catalog } });
    const { tracer } = h;
    withAgent('a', { budgetUsd: 1, tracer }, () => {
      const call = InferenceCall.start({
        tracer,
        diag,
        provider: 'openai',
        operation: 'chat',
        requestModel: 'gpt-4o-mini',
        streaming: false,
        estimate: { inputTokens: 1000, maxOutputTokens: 100, choices: 1 },
        parentContext: context.active(),
      });
      call.recordUsage({ inputTokens: 1000, outputTokens: 100 }, false);
      prices = 0;
      call.end({ finishReasons: ['stop'] });
    });
    expect(prices).toBe(1);
    expect(h.ended('chat gpt-4o-mini').attributes['gen_ai.usage.cost.amount']).toBe(CALL_USD);
    expect(h.ended('invoke_agent a').attributes['costtrace.budget.spent_usd']).toBe(CALL_USD);
  });
});

describe('createCostProcessors', () => {
  it('builds both processors wired together and installs nothing global until install()', async () => {
    const { createCostProcessors } = await import('@costtrace/budget-span-processor');
    const { getCallGate, getCostLedger } = await import('@costtrace/pipeline');
    const before = [getCallGate(), getCostLedger()];
    const built = createCostProcessors();
    expect([getCallGate(), getCostLedger()]).toEqual(before);
    const uninstall = built.install();
    expect(getCallGate()).toBe(built.budgetProcessor);
    expect(getCostLedger()).toBe(built.costProcessor);
    expect(built.spanProcessors).toEqual([built.costProcessor, built.budgetProcessor]);
    uninstall();
    expect(getCallGate()).not.toBe(built.budgetProcessor);
    expect(getCostLedger()).not.toBe(built.costProcessor);
  });
});
