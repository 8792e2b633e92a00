import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, type DiagLogger } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { openCallCount } from '@costtrace/pipeline';
import { startFakeLlm, type FakeLlm } from '@costtrace/fake-llm';
import { expect } from 'vitest';
import { OpenAIInstrumentation } from '../src/index';
import type { OpenAIInstrumentationConfig } from '../src/index';
import { CollectingProcessor, recordingDiag, TestContextManager } from '@costtrace/testing';

export { recordingDiag };

context.setGlobalContextManager(new TestContextManager());



// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpenAIModule = any;

const sdkVersionsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'sdk-versions');

/** The CommonJS build of one installed major (`test/sdk-versions/openai-v<major>`), and its version. */
export function loadSdk(major: 4 | 5 | 6 | 7): { sdk: OpenAIModule; version: string } {
  const dir = join(sdkVersionsDir, `openai-v${major}`);
  const sdk = createRequire(join(dir, 'package.json'))('openai') as OpenAIModule;
  const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'openai', 'package.json'), 'utf8')) as { version: string };
  return { sdk, version: pkg.version };
}

export interface Harness {
  fake: FakeLlm;
  sdk: OpenAIModule;
  client: OpenAIModule;
  instrumentation: OpenAIInstrumentation;
  processor: CollectingProcessor;
  provider: TracerProvider;
  spans(): ReadableSpan[];
  /** The one span the test expects, asserting there is exactly one. */
  onlySpan(): ReadableSpan;
  reset(): void;
  close(): Promise<void>;
}

/** A real client of `sdk` against fake-llm, with the instrumentation patched onto `sdk` explicitly. */
export async function harness(
  sdk: OpenAIModule,
  version: string,
  config: OpenAIInstrumentationConfig = {},
): Promise<Harness> {
  const processor = new CollectingProcessor();
  const provider = new TracerProvider({ spanProcessors: [processor] });
  // In-process the SDK is not loaded through Node's module hooks: patch by hand.
  const instrumentation = new OpenAIInstrumentation({ enabled: false, ...config });
  instrumentation.setTracerProvider(provider);
  instrumentation.getModuleDefinitions()[0]!.patch!(sdk, version);
  const fake = await startFakeLlm();
  const client = new sdk.OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test-secret', maxRetries: 0 });
  return {
    fake,
    sdk,
    client,
    instrumentation,
    processor,
    provider,
    spans: () => processor.spans,
    onlySpan: () => {
      expect(processor.spans).toHaveLength(1);
      return processor.spans[0]!;
    },
    reset: () => {
      processor.started.length = 0;
      processor.spans.length = 0;
      fake.reset();
    },
    close: async () => {
      instrumentation.getModuleDefinitions()[0]!.unpatch!(sdk, version);
      await fake.close();
    },
  };
}

/** After each test: no call of ours is open and every span started has ended. */
export function expectNothingOpen(h: Harness): void {
  expect(openCallCount()).toBe(0);
  expect(h.processor.spans.length).toBe(h.processor.started.length);
}

/** Common request attributes of a call to fake-llm. */
export function server(h: Harness): Record<string, unknown> {
  return { 'server.address': '127.0.0.1', 'server.port': h.fake.port };
}

/** Every item of a stream; typed loosely, as the SDK modules are loaded untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function collect(iterable: AsyncIterable<unknown>): Promise<any[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
