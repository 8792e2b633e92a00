// Agent frameworks' own spans in the tree: the Vercel AI SDK 6's `ai.*` spans (functionId names
// the agent), AI SDK 7's `@ai-sdk/otel` GenAI spans, and costtrace's own wire-level call span
// nested in their record of the same call.
import { afterEach, describe, expect, it } from 'vitest';
import { context, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { withAgent, withRun } from '@costtrace/core';
import { agentNameOf, classifySpan, isOwnSpan, KIND_AGENT, KIND_CALL_MARKER, KIND_UNKNOWN } from '../src/classify-span';
import { chatAttributes, harness, type Harness } from './support';

let h: Harness | undefined;
afterEach(async () => {
  await h?.shutdown();
  h = undefined;
});

function start(): Harness {
  h = harness();
  return h;
}

// The tracers each producer uses: the AI SDK 6 `trace.getTracer('ai')`, `@ai-sdk/otel`
// `trace.getTracer('gen_ai')`, costtrace's wire-level instrumentation.
const ai = () => h!.provider.getTracer('ai');
const genAi = () => h!.provider.getTracer('gen_ai');
const own = () => h!.provider.getTracer('@costtrace/instrumentation-fetch');

function active<T>(tracer: Tracer, name: string, attributes: Attributes, fn: (span: Span) => T): T {
  return tracer.startActiveSpan(name, { attributes }, (span) => {
    try {
      return fn(span);
    } finally {
      span.end();
    }
  });
}

/** The AI SDK 6 outer span of `generateText` (functionId optional). */
const generateText = (functionId?: string): Attributes => ({
  'ai.operationId': 'ai.generateText',
  'operation.name': `ai.generateText${functionId === undefined ? '' : ` ${functionId}`}`,
  ...(functionId === undefined ? {} : { 'resource.name': functionId, 'ai.telemetry.functionId': functionId }),
  'ai.model.provider': 'openai.chat',
  'ai.model.id': 'gpt-4o-mini',
});

/** The AI SDK 6 `doGenerate` step: its own usage (400 output tokens, to tell it from ours). */
const doGenerate = (functionId?: string): Attributes => ({
  'ai.operationId': 'ai.generateText.doGenerate',
  ...(functionId === undefined ? {} : { 'ai.telemetry.functionId': functionId }),
  'ai.model.provider': 'openai.chat',
  'ai.model.id': 'gpt-4o-mini',
  'gen_ai.system': 'openai.chat',
  'gen_ai.request.model': 'gpt-4o-mini',
  'ai.usage.inputTokens': 1000,
  'ai.usage.outputTokens': 400,
  'gen_ai.usage.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 400,
});

// gpt-4o-mini: 1000 in × $0.15/M + 500 out × $0.60/M = $0.00045 (ours);
// the AI SDK's own figure, 1000 × $0.15/M + 400 × $0.60/M = $0.00039, must never be counted.
const OURS_USD = 0.00045;

describe('classifying framework spans', () => {
  it.each([
    ['ai.generateText', 'researcher'],
    ['ai.streamText', 'researcher'],
    ['ai.generateObject', 'researcher'],
    ['ai.streamObject', 'researcher'],
  ])('reads an AI SDK %s span with a functionId as the agent it names', (op, functionId) => {
    const attrs = { 'ai.operationId': op, 'ai.telemetry.functionId': functionId };
    expect(classifySpan(attrs, op)).toBe(KIND_AGENT);
    expect(agentNameOf(attrs)).toBe('researcher');
  });

  it('reads an AI SDK outer span with no functionId, a tool call or a do* step as no agent', () => {
    expect(classifySpan(generateText(), 'ai.generateText')).toBe(KIND_UNKNOWN);
    expect(classifySpan({ 'ai.operationId': 'ai.toolCall', 'ai.telemetry.functionId': 'x' }, 'ai.toolCall')).toBe(KIND_UNKNOWN);
    expect(classifySpan(doGenerate('researcher'), 'ai.generateText.doGenerate')).toBe(KIND_CALL_MARKER);
    expect(agentNameOf(doGenerate('researcher'))).toBeUndefined();
  });

  it('tells costtrace\'s own spans by their instrumentation scope', () => {
    expect(isOwnSpan({ instrumentationScope: { name: '@costtrace/instrumentation-fetch' } })).toBe(true);
    expect(isOwnSpan({ instrumentationLibrary: { name: '@costtrace/instrumentation-openai' } })).toBe(true);
    expect(isOwnSpan({ instrumentationScope: { name: 'ai' } })).toBe(false);
    expect(isOwnSpan({})).toBe(false);
  });
});

describe('AI SDK 6: functionId names the agent', () => {
  it('stamps the functionId of the enclosing generateText on each call and rolls cost onto it', () => {
    const h = start();
    withRun('r', { tracer: h.tracer, runId: 'r' }, () =>
      active(ai(), 'ai.generateText', generateText('researcher'), () => {
        for (let i = 0; i < 2; i++) active(ai(), 'ai.generateText.doGenerate', doGenerate('researcher'), () => undefined);
      }),
    );
    const steps = h.collector.spans.filter((s) => s.name === 'ai.generateText.doGenerate');
    expect(steps.map((s) => s.attributes['gen_ai.agent.name'])).toEqual(['researcher', 'researcher']);
    expect(steps.map((s) => s.attributes['costtrace.pricing.status'])).toEqual(['priced', 'priced']);
    // 2 × $0.00039
    expect(h.span('ai.generateText').attributes['costtrace.subtree.cost_usd']).toBe(0.00078);
    expect(h.span('ai.generateText').attributes['gen_ai.usage.cost.amount']).toBeUndefined();
  });

  it('keeps the name withAgent set under a generateText with no functionId', () => {
    const h = start();
    withAgent('planner', { tracer: h.tracer }, () =>
      active(ai(), 'ai.generateText', generateText(), () =>
        active(ai(), 'ai.generateText.doGenerate', doGenerate(), () =>
          active(own(), 'chat gpt-4o-mini', chatAttributes('gpt-4o-mini', 1000, 500), () => undefined),
        ),
      ),
    );
    expect(h.span('chat gpt-4o-mini').attributes['gen_ai.agent.name']).toBe('planner');
  });

  it('names a call after the innermost functionId inside a withAgent scope', () => {
    const h = start();
    withAgent('planner', { tracer: h.tracer }, () =>
      active(ai(), 'ai.generateText', generateText('critic'), () =>
        active(ai(), 'ai.generateText.doGenerate', doGenerate('critic'), () =>
          active(own(), 'chat gpt-4o-mini', chatAttributes('gpt-4o-mini', 1000, 500), () => undefined),
        ),
      ),
    );
    expect(h.span('chat gpt-4o-mini').attributes['gen_ai.agent.name']).toBe('critic');
  });

  it('names a call that ends after its generateText span after the functionId', () => {
    const h = start();
    let late: Span | undefined;
    withRun('r', { tracer: h.tracer, runId: 'r' }, () => {
      active(ai(), 'ai.streamText', { ...generateText('writer'), 'ai.operationId': 'ai.streamText' }, () => {
        late = own().startSpan('chat gpt-4o-mini', { attributes: chatAttributes('gpt-4o-mini', 1000, 500) });
      });
      late!.end();
    });
    expect(h.span('chat gpt-4o-mini').attributes['gen_ai.agent.name']).toBe('writer');
  });
});

describe('costtrace\'s own call span inside a framework\'s record of the same call', () => {
  it('prices our nested span once and marks the AI SDK doGenerate step its duplicate', () => {
    const h = start();
    let ours: Span | undefined;
    withRun('r', { tracer: h.tracer, runId: 'r' }, () =>
      active(ai(), 'ai.generateText', generateText('researcher'), () =>
        active(ai(), 'ai.generateText.doGenerate', doGenerate('researcher'), () => {
          ours = own().startSpan('chat gpt-4o-mini', { attributes: chatAttributes('gpt-4o-mini', 1000, 500) });
          ours.end();
        }),
      ),
    );
    const oursId = ours!.spanContext().spanId;
    expect(h.span('chat gpt-4o-mini').attributes).toMatchObject({
      'costtrace.pricing.status': 'priced',
      'gen_ai.usage.cost.amount': OURS_USD,
      'gen_ai.agent.name': 'researcher',
    });
    expect(h.span('ai.generateText.doGenerate').attributes).toEqual({
      ...doGenerate('researcher'),
      'costtrace.pricing.status': 'duplicate',
      'costtrace.pricing.reason': `counted on costtrace's own model-call span ${oursId} inside it`,
      'gen_ai.agent.name': 'researcher',
      'costtrace.run.id': 'r',
      // It encloses our call span, so its subtree holds our call (and only ours).
      'costtrace.subtree.cost_usd': OURS_USD,
      'costtrace.subtree.llm_calls': 1,
      'costtrace.subtree.input_tokens': 1000,
      'costtrace.subtree.output_tokens': 500,
      'costtrace.subtree.unpriced_calls': 0,
    });
    const run = h.span('invoke_workflow r').attributes;
    expect(run['costtrace.subtree.llm_calls']).toBe(1);
    expect(run['costtrace.subtree.cost_usd']).toBe(OURS_USD);
    expect(h.span('ai.generateText').attributes['costtrace.subtree.llm_calls']).toBe(1);
  });

  it('prices our span when the AI SDK doStream step ends before the stream it wraps', () => {
    const h = start();
    let ours: Span | undefined;
    withRun('r', { tracer: h.tracer, runId: 'r' }, () => {
      const step = ai().startSpan('ai.streamText.doStream', { attributes: { ...doGenerate(), 'ai.operationId': 'ai.streamText.doStream' } });
      ours = own().startSpan('chat gpt-4o-mini', { attributes: chatAttributes('gpt-4o-mini', 1000, 500) }, trace.setSpan(context.active(), step));
      step.end();
      ours.end();
    });
    expect(h.span('ai.streamText.doStream').attributes['costtrace.pricing.status']).toBe('duplicate');
    expect(h.span('chat gpt-4o-mini').attributes['gen_ai.usage.cost.amount']).toBe(OURS_USD);
    expect(h.span('invoke_workflow r').attributes['costtrace.subtree.cost_usd']).toBe(OURS_USD);
    expect(h.span('invoke_workflow r').attributes['costtrace.subtree.llm_calls']).toBe(1);
  });

  it('prices our span inside an @ai-sdk/otel chat span and keeps the name withAgent set above a nameless invoke_agent', () => {
    const h = start();
    withRun('r', { tracer: h.tracer, runId: 'r' }, () =>
      withAgent('planner', { tracer: h.tracer }, () =>
        // @ai-sdk/otel: `gen_ai.agent.name` is the functionId, absent when the app gave none.
        active(genAi(), 'invoke_agent gpt-4o-mini', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' }, () =>
          active(genAi(), 'chat gpt-4o-mini', { ...chatAttributes('gpt-4o-mini', 1000, 400) }, () =>
            active(own(), 'chat gpt-4o-mini', chatAttributes('gpt-4o-mini', 1000, 500), () => undefined),
          ),
        ),
      ),
    );
    const chats = h.collector.spans.filter((s) => s.name === 'chat gpt-4o-mini');
    const [theirs, ours] = [chats.find((s) => s.instrumentationScope.name === 'gen_ai')!, chats.find((s) => isOwnSpan(s))!];
    expect(ours.attributes['costtrace.pricing.status']).toBe('priced');
    expect(ours.attributes['gen_ai.usage.cost.amount']).toBe(OURS_USD);
    expect(ours.attributes['gen_ai.agent.name']).toBe('planner');
    expect(theirs.attributes['costtrace.pricing.status']).toBe('duplicate');
    expect(theirs.attributes['gen_ai.usage.cost.amount']).toBeUndefined();
    expect(h.span('invoke_workflow r').attributes['costtrace.subtree.cost_usd']).toBe(OURS_USD);
    expect(h.span('invoke_workflow r').attributes['costtrace.subtree.llm_calls']).toBe(1);
  });

  it('prices each of two attempts inside one foreign call span (a retry) and never the foreign span', () => {
    const h = start();
    withRun('r', { tracer: h.tracer, runId: 'r' }, () =>
      active(genAi(), 'chat gpt-4o-mini', chatAttributes('gpt-4o-mini', 1000, 400), () => {
        active(own(), 'attempt 1', chatAttributes('gpt-4o-mini', 1000, 500), () => undefined);
        active(own(), 'attempt 2', chatAttributes('gpt-4o-mini', 1000, 500), () => undefined);
      }),
    );
    expect(h.span('attempt 1').attributes['costtrace.pricing.status']).toBe('priced');
    expect(h.span('attempt 2').attributes['costtrace.pricing.status']).toBe('priced');
    expect(h.span('chat gpt-4o-mini').attributes['costtrace.pricing.status']).toBe('duplicate');
    // 2 × $0.00045
    expect(h.span('invoke_workflow r').attributes['costtrace.subtree.cost_usd']).toBe(0.0009);
  });

  it('keeps the call on our outermost span when our own span encloses the foreign one', () => {
    const h = start();
    withRun('r', { tracer: h.tracer, runId: 'r' }, () =>
      active(own(), 'ours outer', chatAttributes('gpt-4o-mini', 1000, 500), () =>
        active(ai(), 'ai.generateText.doGenerate', doGenerate(), () =>
          active(own(), 'ours inner', chatAttributes('gpt-4o-mini', 1000, 500), () => undefined),
        ),
      ),
    );
    expect(h.span('ours outer').attributes['costtrace.pricing.status']).toBe('priced');
    expect(h.span('ai.generateText.doGenerate').attributes['costtrace.pricing.status']).toBe('duplicate');
    expect(h.span('ours inner').attributes['costtrace.pricing.status']).toBe('duplicate');
    expect(h.span('invoke_workflow r').attributes['costtrace.subtree.llm_calls']).toBe(1);
  });

  it('still lets the outer span own a call when the nested span is another instrumentation\'s', () => {
    const h = start();
    withRun('r', { tracer: h.tracer, runId: 'r' }, () =>
      active(ai(), 'ai.generateText.doGenerate', doGenerate(), () =>
        active(genAi(), 'chat gpt-4o-mini', chatAttributes('gpt-4o-mini', 1000, 500), () => undefined),
      ),
    );
    expect(h.span('ai.generateText.doGenerate').attributes['costtrace.pricing.status']).toBe('priced');
    expect(h.span('chat gpt-4o-mini').attributes['costtrace.pricing.status']).toBe('duplicate');
  });
});
