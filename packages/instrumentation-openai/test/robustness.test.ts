import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { context, diag, DiagLogLevel, trace } from '@opentelemetry/api';
import { InferenceCall } from '@costtrace/pipeline';
import { ChatCompletionsCall } from '../src/chat-completions';
import { TokenCounter } from '../src/token-counter';
import { OpenAIInstrumentation } from '../src/index';
import { collect, expectNothingOpen, harness, loadSdk, recordingDiag, type Harness } from './support';

const { sdk, version } = loadSdk(6);
const messages = [{ role: 'user', content: 'Hello there' }];
type Create = (this: unknown, ...args: unknown[]) => unknown;
const proto = sdk.OpenAI.Chat.Completions.prototype as { create: Create };

let h: Harness;
beforeAll(async () => {
  h = await harness(sdk, version);
});
afterAll(() => h.close());
afterEach(() => {
  vi.restoreAllMocks();
  diag.disable();
  expectNothingOpen(h);
  h.reset();
});

describe('never breaks the host app', () => {
  it('calls through without a span when setting up the call throws', async () => {
    const logger = recordingDiag();
    diag.setLogger(logger, DiagLogLevel.ERROR);
    vi.spyOn(InferenceCall, 'start').mockImplementation(() => {
      throw new Error('span setup exploded');
    });
    const completion = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices).toHaveLength(1);
    expect(h.spans()).toHaveLength(0);
    expect(logger.errors.some((e) => e.join(' ').includes('calling through'))).toBe(true);
  });

  it('tokenizes neither the prompt nor the chunks when no budget asks and the provider reports usage', async () => {
    const count = vi.spyOn(TokenCounter.prototype, 'count');
    await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const stream = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    for await (const _ of stream);
    expect(count).not.toHaveBeenCalled();
    expect(h.spans().map((s) => s.attributes['costtrace.usage.estimated'])).toEqual([undefined, undefined]);
  });

  it('ends the span and returns the result when reading the body throws', async () => {
    vi.spyOn(ChatCompletionsCall.prototype, 'onBody').mockImplementation(() => {
      throw new Error('reader exploded');
    });
    const completion = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices).toHaveLength(1);
    expect(h.onlySpan().attributes['costtrace.call.outcome']).toBe('completed');
  });

  it('keeps streaming when reading a chunk throws', async () => {
    vi.spyOn(ChatCompletionsCall.prototype, 'onChunk').mockImplementation(() => {
      throw new Error('chunk reader exploded');
    });
    h.fake.script({ text: 'lorem ipsum' });
    const chunks = await collect(await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
    expect(chunks).toHaveLength(4);
    expect(h.onlySpan().attributes['costtrace.call.outcome']).toBe('completed');
  });

  it('passes through calls whose params it cannot read', async () => {
    // The SDK itself throws on a missing body; it does so unchanged.
    expect(() => h.client.chat.completions.create(undefined)).toThrow(TypeError);
    expect(h.spans()).toHaveLength(0);
  });
});

describe('duplicates and other wrappers', () => {
  it('a patched create called inside one of our calls is passed through: one span', async () => {
    const patchedA = proto.create;
    // A second patched layer (another copy of the instrumentation) around ours.
    const outer = new OpenAIInstrumentation({ enabled: false });
    outer.setTracerProvider(h.provider);
    const layer = { OpenAI: { Chat: { Completions: { prototype: { create: function (this: unknown, ...a: unknown[]) { return patchedA.apply(this, a); } } } } } };
    outer.getModuleDefinitions()[0]!.patch!(layer, version);
    proto.create = layer.OpenAI.Chat.Completions.prototype.create as Create;
    try {
      h.fake.script({ usage: { inputTokens: 10, outputTokens: 2 } });
      await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect(h.onlySpan().attributes['gen_ai.usage.input_tokens']).toBe(10);
    } finally {
      proto.create = patchedA;
      outer.disable();
    }
  });

  for (const order of ['outside', 'inside'] as const) {
    it(`works with another instrumentation's wrapper ${order} ours (plain and streamed)`, async () => {
      const patched = proto.create;
      const unpatched = (patched as unknown as Record<symbol, Create>)[Symbol.for('costtrace.wrapper.original')]!;
      const tracer = h.provider.getTracer('other');
      const theirs = (original: Create): Create =>
        function (this: unknown, ...args: unknown[]) {
          const span = tracer.startSpan('their chat');
          const ctx = trace.setSpan(context.active(), span);
          const apiPromise = context.with(ctx, () => original.apply(this, args)) as Promise<unknown>;
          if ((args[0] as { stream?: boolean }).stream) {
            // As @opentelemetry/instrumentation-openai does: a plain promise, and the stream's iterator wrapped.
            return apiPromise.then((stream) => {
              const s = stream as { iterator: (...a: unknown[]) => AsyncIterator<unknown> };
              const inner = s.iterator;
              s.iterator = function (...a: unknown[]) {
                const it = inner.apply(this, a);
                return (async function* () {
                  try {
                    for await (const c of { [Symbol.asyncIterator]: () => it }) yield c;
                  } finally {
                    span.end();
                  }
                })();
              };
              return stream;
            });
          }
          apiPromise.then(
            () => span.end(),
            () => span.end(),
          );
          return apiPromise;
        };
      if (order === 'outside') {
        proto.create = theirs(patched);
      } else {
        // Theirs on the SDK method, ours around it.
        h.instrumentation.getModuleDefinitions()[0]!.unpatch!(sdk, version);
        proto.create = theirs(unpatched);
        h.instrumentation.getModuleDefinitions()[0]!.patch!(sdk, version);
      }
      try {
        h.fake.script({ usage: { inputTokens: 10, outputTokens: 2 } }, { text: 'lorem ipsum', usage: { inputTokens: 11 } });
        const completion = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
        expect(completion.usage.prompt_tokens).toBe(10);
        const chunks = await collect(await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
        expect(chunks.every((c: { choices: unknown[] }) => c.choices.length > 0 && !('usage' in c))).toBe(true);
        const ours = h.spans().filter((s) => s.name === 'chat gpt-4o-mini');
        expect(ours.map((s) => [s.attributes['gen_ai.usage.input_tokens'], s.attributes['costtrace.call.outcome']])).toEqual([
          [10, 'completed'],
          [11, 'completed'],
        ]);
        expect(h.spans().filter((s) => s.name === 'their chat')).toHaveLength(2);
      } finally {
        h.instrumentation.getModuleDefinitions()[0]!.unpatch!(sdk, version);
        proto.create = unpatched;
        h.instrumentation.getModuleDefinitions()[0]!.patch!(sdk, version);
      }
    });
  }
});
