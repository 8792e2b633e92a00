import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSpanExporter } from '../src/file-span-exporter';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'costtrace-file-exporter-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function provider(exporter: FileSpanExporter): TracerProvider {
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'file-test' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
}

/** Every line of the file, parsed: each must be one JSON object. */
function lines(path: string): any[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line));
}

describe('FileSpanExporter', () => {
  it('writes one OTLP JSON export request per export, as the Collector file exporter does, attributes intact', async () => {
    const path = join(dir, 'spans.jsonl');
    const exporter = new FileSpanExporter({ path });
    const tp = provider(exporter);
    const tracer = tp.getTracer('@costtrace/test', '1.2.3');
    const spans: ReadableSpan[] = [];
    tracer.startActiveSpan('invoke_agent researcher', (agent) => {
      agent.setAttributes({
        'gen_ai.agent.name': 'researcher',
        'costtrace.subtree.cost_usd': 0.0206664,
        'costtrace.subtree.llm_calls': 3,
        'costtrace.budget.exceeded': false,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
      });
      const call = tracer.startSpan(
        'chat gpt-4o',
        { kind: SpanKind.CLIENT, attributes: { 'gen_ai.usage.input_tokens': 9_007_199_254_740_991 } },
        trace.setSpan(ROOT_CONTEXT, agent),
      );
      call.addEvent('costtrace.budget.warning', { 'costtrace.budget.limit_usd': 0.05 });
      call.setStatus({ code: SpanStatusCode.ERROR, message: 'stopped' });
      call.end();
      agent.end();
      spans.push(call as unknown as ReadableSpan, agent as unknown as ReadableSpan);
    });
    await tp.forceFlush();
    await tp.shutdown();

    const requests = lines(path);
    expect(requests).toHaveLength(2); // SimpleSpanProcessor: one export per span
    const [call, agent] = spans;
    expect(requests[0]).toEqual({
      resourceSpans: [
        {
          resource: { attributes: expect.arrayContaining([{ key: 'service.name', value: { stringValue: 'file-test' } }]), droppedAttributesCount: 0 },
          scopeSpans: [
            {
              scope: { name: '@costtrace/test', version: '1.2.3' },
              spans: [
                {
                  traceId: call!.spanContext().traceId,
                  spanId: call!.spanContext().spanId,
                  parentSpanId: agent!.spanContext().spanId,
                  name: 'chat gpt-4o',
                  kind: 3,
                  startTimeUnixNano: expect.stringMatching(/^\d{19}$/),
                  endTimeUnixNano: expect.stringMatching(/^\d{19}$/),
                  attributes: [{ key: 'gen_ai.usage.input_tokens', value: { intValue: '9007199254740991' } }],
                  droppedAttributesCount: 0,
                  events: [
                    {
                      name: 'costtrace.budget.warning',
                      timeUnixNano: expect.stringMatching(/^\d{19}$/),
                      attributes: [{ key: 'costtrace.budget.limit_usd', value: { doubleValue: 0.05 } }],
                      droppedAttributesCount: 0,
                    },
                  ],
                  droppedEventsCount: 0,
                  status: { code: 2, message: 'stopped' },
                  links: [],
                  droppedLinksCount: 0,
                  flags: expect.any(Number),
                },
              ],
            },
          ],
        },
      ],
    });
    expect(requests[1].resourceSpans[0].scopeSpans[0].spans[0].attributes).toEqual([
      { key: 'gen_ai.agent.name', value: { stringValue: 'researcher' } },
      { key: 'costtrace.subtree.cost_usd', value: { doubleValue: 0.0206664 } },
      { key: 'costtrace.subtree.llm_calls', value: { intValue: '3' } },
      { key: 'costtrace.budget.exceeded', value: { boolValue: false } },
      { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: 'stop' }, { stringValue: 'length' }] } } },
    ]);
    expect(requests[1].resourceSpans[0].scopeSpans[0].spans[0].parentSpanId).toBeUndefined();
  });

  it('appends to an existing file by default, and starts it empty with append: false', async () => {
    const path = join(dir, 'spans.jsonl');
    writeFileSync(path, '{"resourceSpans":[]}\n');
    const appending = provider(new FileSpanExporter({ path }));
    appending.getTracer('t').startSpan('a').end();
    await appending.shutdown();
    expect(lines(path).map((r) => r.resourceSpans.length)).toEqual([0, 1]);

    const fresh = provider(new FileSpanExporter({ path, append: false }));
    fresh.getTracer('t').startSpan('b').end();
    fresh.getTracer('t').startSpan('c').end();
    await fresh.shutdown();
    expect(lines(path).map((r) => r.resourceSpans[0].scopeSpans[0].spans[0].name)).toEqual(['b', 'c']);
  });

  it('fails the export, never throws, when the file cannot be written', async () => {
    const exporter = new FileSpanExporter({ path: join(dir, 'missing-dir', 'spans.jsonl') });
    const tp = provider(exporter);
    const span = tp.getTracer('t').startSpan('a');
    span.end();
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export([span as unknown as ReadableSpan], resolve));
    expect(result.code).toBe(1);
    expect(result.error?.message).toMatch(/ENOENT/);
    await tp.shutdown();
  });
});
