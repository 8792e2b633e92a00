import { diag, DiagLogLevel } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { CollectingProcessor } from '@costtrace/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CostSpanProcessor } from '../src/index';

afterEach(() => diag.disable());

describe('the SDK attribute count limit', () => {
  it('warns once when cost attributes are dropped because the span is already at its limit', () => {
    const warnings: string[] = [];
    const noop = () => {};
    diag.setLogger({ warn: (m: string) => warnings.push(m), error: noop, info: noop, debug: noop, verbose: noop }, DiagLogLevel.WARN);
    const collector = new CollectingProcessor();
    const provider = new TracerProvider({ spanLimits: { attributeCountLimit: 8 }, spanProcessors: [new CostSpanProcessor(), collector] });
    const tracer = provider.getTracer('t');
    for (let i = 0; i < 2; i++) {
      const span = tracer.startSpan('chat gpt-4o-mini', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.output_tokens': 10,
          // A flattened prompt, as some instrumentations write it, fills the span up to its limit.
          'gen_ai.prompt.0.role': 'user',
          'gen_ai.prompt.0.content': 'hi',
          'gen_ai.prompt.1.role': 'assistant',
        },
      });
      span.end();
    }
    expect(collector.spans[0]!.attributes['gen_ai.usage.cost.amount']).toBeUndefined();
    // SDK 3.x also warns "Dropping extra attributes." itself, without saying which variable raises the limit.
    expect(warnings.filter((w) => w.startsWith('CostSpanProcessor'))).toEqual([
      'CostSpanProcessor: span "chat gpt-4o-mini" is at its attribute count limit, so some cost attributes were dropped; raise OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT (or spanLimits.attributeCountLimit)',
    ]);
  });
});
