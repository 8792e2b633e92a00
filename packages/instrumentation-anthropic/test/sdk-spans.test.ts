import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { context } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { TestContextManager } from '@costtrace/testing';
import { expectAllEnded, harness, loadSdk, MESSAGES, type Harness } from './support';

// @anthropic-ai/sdk 0.137 and 1.12 make their own `anthropic.messages.create` span
// whenever their copy of @opentelemetry/api sees a registered tracer provider.
// Under pnpm both fixtures resolve @opentelemetry/api 1.10, while this package
// uses 1.9: the API's globals are only visible to a copy whose minor version is
// not above the registering one, so the globals are registered through the
// SDK's own copy here (1.9 reads them too), as an app whose NodeSDK shares the
// SDK's api copy would.
const SDK_SCOPE = 'com.anthropic.sdk.typescript';
const REQUEST = { model: 'claude-test-1', max_tokens: 64, messages: MESSAGES } as const;

describe.each([0, 1] as const)('the SDK own spans, @anthropic-ai/sdk major %i', (major) => {
  const { sdk, version, dir } = loadSdk(major);
  const sdkApi = createRequire(join(dir, 'index.js'))('@opentelemetry/api');
  let h: Harness;

  async function setUp(sdkSpans: 'keep' | 'suppress'): Promise<void> {
    h = await harness(sdk, version, { sdkSpans });
    // The harness registered through this package's api copy, which stamped the API's
    // global with version 1.9.0; a 1.10 copy refuses to register beside another version.
    context.disable();
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('opentelemetry.js.api.1')];
    sdkApi.context.setGlobalContextManager(new TestContextManager());
    sdkApi.trace.setGlobalTracerProvider(h.provider);
  }

  beforeEach(() => {
    delete process.env['ANTHROPIC_OPEN_TELEMETRY'];
  });
  afterEach(async () => {
    expectAllEnded(h, expect);
    sdkApi.trace.disable();
    sdkApi.context.disable();
    await h.close();
  });

  const sdkSpans = (): ReadableSpan[] => h.processor.spans.filter((s) => s.instrumentationScope.name === SDK_SCOPE);
  const descendsFrom = (child: ReadableSpan, ancestor: ReadableSpan): boolean => {
    const byId = new Map(h.processor.spans.map((s) => [s.spanContext().spanId, s]));
    let parent = child.parentSpanContext?.spanId;
    while (parent) {
      if (parent === ancestor.spanContext().spanId) return true;
      parent = byId.get(parent)?.parentSpanContext?.spanId;
    }
    return false;
  };

  it.each([
    ['create', (c: any) => c.messages.create(REQUEST)],
    ['create stream', async (c: any) => {
      for await (const _ of await c.messages.create({ ...REQUEST, stream: true })) void _;
    }],
    ['stream() helper', (c: any) => c.messages.stream(REQUEST).finalMessage()],
    ['beta stream() helper', (c: any) => c.beta.messages.stream(REQUEST).finalMessage()],
  ])('keep: %s makes exactly one span of ours, and the SDK span is its descendant', async (_, callIt) => {
    await setUp('keep');
    h.fake.script({ text: 'hi there', usage: { inputTokens: 10, outputTokens: 2 } });
    await callIt(h.client);
    const ours = h.spans();
    expect(ours).toHaveLength(1);
    const theirs = sdkSpans();
    expect(theirs.length).toBeGreaterThanOrEqual(1);
    for (const span of theirs) expect(descendsFrom(span, ours[0]!)).toBe(true);
    expect(ours[0]!.attributes['gen_ai.usage.output_tokens']).toBe(2);
  });

  it('suppress: the SDK makes no span of its own, and the client keeps its tracer afterwards', async () => {
    await setUp('suppress');
    const tracer = h.client._tracer;
    h.fake.script({ text: 'hi', usage: { inputTokens: 10, outputTokens: 1 } }, { text: 'hi', usage: { inputTokens: 10, outputTokens: 1 } });
    await h.client.messages.create(REQUEST);
    await h.client.messages.stream(REQUEST).finalMessage();
    expect(h.spans()).toHaveLength(2);
    expect(sdkSpans()).toHaveLength(0);
    expect(h.client._tracer).toBe(tracer);
  });
});
