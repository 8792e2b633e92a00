import { afterEach, describe, expect, it } from 'vitest';
import { diag } from '@opentelemetry/api';
import type { TokenUsage } from '@costtrace/semconv';
import { tracing } from './support';
import { CallLifecycle, endOpenCalls, InferenceCall, type CallCodec, type CallEnd, type CallSink, type StreamTarget } from '../src/index';

/** A codec for a made-up wire: bodies and events are `{ text, usage? }`. */
class FakeCodec implements CallCodec {
  readonly operation = 'chat';
  readonly requestModel = 'm';
  readonly estimate = { inputTokens: 10, maxOutputTokens: 50, choices: 1 };
  readonly attributes = {};
  readonly chargesStoppedRequests = true;
  readonly hides = true;
  private _out = 0;
  private _final = false;
  constructor(readonly streaming: boolean) {}
  onBody(sink: CallSink, body: unknown): CallEnd {
    sink.recordUsage((body as { usage: TokenUsage }).usage, false);
    return { finishReasons: ['stop'] };
  }
  onChunk(sink: CallSink, chunk: unknown): void {
    const c = chunk as { text?: string; usage?: TokenUsage };
    if (c.usage) {
      this._final = true;
      sink.recordUsage(c.usage, false);
    } else sink.recordUsage({ inputTokens: 10, outputTokens: (this._out += 1) }, true);
  }
  onStreamEnd(): CallEnd {
    return { finishReasons: ['stop'] };
  }
  sawStreamEnd(): boolean {
    return this._final;
  }
  estimatedUsage(): TokenUsage {
    return { inputTokens: 10, outputTokens: 50 };
  }
  hide(chunk: unknown): boolean {
    return (chunk as { usage?: unknown }).usage !== undefined;
  }
}

/** An SDK stream object whose iterator is replaced in place. */
function sdkStream(chunks: unknown[]) {
  const controller = new AbortController();
  const stream = {
    controller,
    iterator: async function* () {
      yield* chunks;
    } as () => AsyncIterator<unknown>,
    [Symbol.asyncIterator]() {
      return stream.iterator();
    },
  };
  const target: StreamTarget = {
    wrapIterator(wrap) {
      const original = stream.iterator;
      stream.iterator = () => wrap(original());
      return true;
    },
    controllerAborted: () => controller.signal.aborted,
  };
  return { stream, target };
}

function setup(streaming: boolean) {
  const t = tracing();
  const call = InferenceCall.start({
    tracer: t.tracer,
    diag,
    provider: 'fake',
    operation: 'chat',
    requestModel: 'm',
    streaming,
    estimate: { inputTokens: 10, maxOutputTokens: 50, choices: 1 },
  });
  const life = new CallLifecycle({ call, codec: new FakeCodec(streaming), diag, unreadTimeoutMs: 60_000, name: 'Test' });
  return { life, span: () => t.exporter.getFinishedSpans() };
}

describe('CallLifecycle', () => {
  afterEach(() => endOpenCalls());

  it('ends a non-streaming call once with the body the codec read', () => {
    const { life, span } = setup(false);
    life.parsed({ usage: { inputTokens: 7, outputTokens: 3 } });
    life.failed(new Error('late'));
    expect(span()).toHaveLength(1);
    expect(span()[0]!.attributes).toMatchObject({
      'costtrace.call.outcome': 'completed',
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.response.finish_reasons': ['stop'],
    });
  });

  it('reads a stream in place, hides what the codec added, and ends it when the caller is done', async () => {
    const { life, span } = setup(true);
    const { stream, target } = sdkStream([{ text: 'a' }, { text: 'b' }, { usage: { inputTokens: 9, outputTokens: 2 } }]);
    life.parsed(stream, target);
    const seen: unknown[] = [];
    for await (const c of stream) seen.push(c);
    expect(seen).toEqual([{ text: 'a' }, { text: 'b' }]);
    expect(span()[0]!.attributes).toMatchObject({ 'costtrace.call.outcome': 'completed', 'gen_ai.usage.output_tokens': 2 });
  });

  it("records a stream ended quietly by the SDK's own aborted controller as cancelled", async () => {
    const { life, span } = setup(true);
    const { stream, target } = sdkStream([{ text: 'a' }]);
    life.parsed(stream, target);
    for await (const _ of stream) stream.controller.abort();
    expect(span()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
  });

  it('ends a call whose raw body the caller took, with estimated usage, once the response arrived', () => {
    const { life, span } = setup(false);
    life.rawTaken();
    expect(span()).toHaveLength(0);
    life.arrived();
    expect(span()[0]!.attributes).toMatchObject({ 'costtrace.call.outcome': 'completed', 'costtrace.usage.estimated': true, 'gen_ai.usage.output_tokens': 50 });
  });

  it('charges the estimate of a request stopped in flight when the codec says it is billed, and only then', () => {
    const { life, span } = setup(false);
    life.failed(new Error('500 server error'));
    expect(span()[0]!.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span()[0]!.attributes['costtrace.call.outcome']).toBe('error');
  });
});
