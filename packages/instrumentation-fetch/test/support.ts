import { context } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '@costtrace/fake-llm';
import { endOpenCalls, openCallCount } from '@costtrace/pipeline';
import { CollectingProcessor, TestContextManager } from '@costtrace/testing';
import { FetchInstrumentation, type FetchInstrumentationConfig } from '../src/index';

export interface Harness {
  fake: FakeLlm;
  inst: FetchInstrumentation;
  processor: CollectingProcessor;
  provider: TracerProvider;
  /** Inference spans of this instrumentation, ended, in end order. */
  spans(): ReadableSpan[];
  reset(): void;
  close(): Promise<void>;
}

/** The instrumentation wrapping the global fetch, with fake-llm's loopback URL configured as a base URL. */
export async function harness(config: FetchInstrumentationConfig = {}): Promise<Harness> {
  const unregister = registerContextManager();
  const fake = await startFakeLlm();
  const processor = new CollectingProcessor();
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const inst = new FetchInstrumentation({ enabled: false, baseUrls: [fake.url], ...config });
  inst.setTracerProvider(provider);
  inst.enable();
  return {
    fake,
    inst,
    processor,
    provider,
    spans: () => processor.spans.filter((s) => s.instrumentationScope.name === '@costtrace/instrumentation-fetch'),
    reset: () => {
      processor.spans.length = 0;
      processor.started.length = 0;
      fake.reset();
    },
    close: async () => {
      inst.disable();
      await fake.close();
      unregister();
    },
  };
}

/** No call of ours is left open, and every span started has ended. */
export function expectNothingOpen(h: Harness, expectFn: (v: unknown) => any): void {
  const open = openCallCount();
  const openSpans = h.processor.open.size;
  endOpenCalls();
  expectFn(open).toBe(0);
  expectFn(openSpans).toBe(0);
}

export async function closedRequest(fake: FakeLlm, index = 0): Promise<RecordedRequest> {
  const [request] = (await fake.waitForRequests(index + 1)).slice(index);
  return fake.waitForClose(request!.id);
}

/** POSTs JSON with the global fetch, as a client library does. */
export function post(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify(body),
    ...init,
  });
}

/** Reads a body to its end with a reader, returning its text. */
export async function readAll(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
  }
}

function registerContextManager(): () => void {
  context.setGlobalContextManager(new TestContextManager());
  return () => context.disable();
}
