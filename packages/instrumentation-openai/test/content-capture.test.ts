import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { collect, expectNothingOpen, harness, loadSdk, type Harness } from './support';

const { sdk, version } = loadSdk(6);

let h: Harness;
beforeAll(async () => {
  h = await harness(sdk, version, { captureMessageContent: true, contentMaxLength: 8 });
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h);
  h.reset();
});

describe('content capture (opt-in)', () => {
  it('writes input, system instructions and output as JSON, each text part cut at contentMaxLength', async () => {
    h.fake.script({ text: 'lorem ipsum dolor' });
    await h.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Tell me a story' },
      ],
    });
    const attrs = h.onlySpan().attributes;
    expect(JSON.parse(attrs['gen_ai.system_instructions'] as string)).toEqual([{ type: 'text', content: 'Be brief' }]);
    expect(JSON.parse(attrs['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Tell me …' }] },
    ]);
    expect(JSON.parse(attrs['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'lorem ip…' }], finish_reason: 'stop' },
    ]);
  });

  it('captures streamed output per choice', async () => {
    h.fake.script({ text: 'lorem ipsum' });
    await collect(
      await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    );
    expect(JSON.parse(h.onlySpan().attributes['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'lorem ip…' }], finish_reason: 'stop' },
    ]);
  });

  it('captures Responses input and output', async () => {
    h.fake.script({ text: 'hello' });
    await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', instructions: 'Brief' });
    const attrs = h.onlySpan().attributes;
    expect(JSON.parse(attrs['gen_ai.input.messages'] as string)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Say hi' }] }]);
    expect(JSON.parse(attrs['gen_ai.system_instructions'] as string)).toEqual([{ type: 'text', content: 'Brief' }]);
    expect(JSON.parse(attrs['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'completed' },
    ]);
  });
});

describe('context', () => {
  it("makes the call's span a child of the active span", async () => {
    const parent = h.provider.getTracer('app').startSpan('invoke_agent planner');
    await context.with(trace.setSpan(context.active(), parent), () =>
      h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    );
    parent.end();
    const call = h.spans().find((s) => s.name === 'chat gpt-4o-mini')!;
    expect(call.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(call.spanContext().traceId).toBe(parent.spanContext().traceId);
  });
});
