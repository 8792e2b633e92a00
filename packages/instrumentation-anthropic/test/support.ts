import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, type DiagLogger } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { endOpenCalls, openCallCount } from '@costtrace/pipeline';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '@costtrace/fake-llm';
import { AnthropicInstrumentation, type AnthropicInstrumentationConfig } from '../src/index';
import { CollectingProcessor, recordingDiag, TestContextManager } from '@costtrace/testing';

export { recordingDiag };

const here = dirname(fileURLToPath(import.meta.url));

export { CollectingProcessor } from '@costtrace/testing';


/** The SDK fixture of one major, loaded as CommonJS from its real path (so it resolves its own dependencies). */
export function loadSdk(major: 0 | 1): { sdk: any; version: string; dir: string } {
  const link = join(here, '..', '..', '..', 'test', 'sdk-versions', `anthropic-v${major}`, 'node_modules', '@anthropic-ai', 'sdk');
  const dir = realpathSync(link);
  const require = createRequire(join(dir, 'index.js'));
  const sdk = require(join(dir, 'index.js'));
  const version = require(join(dir, 'package.json')).version as string;
  return { sdk, version, dir };
}

export interface Harness {
  fake: FakeLlm;
  sdk: any;
  client: any;
  inst: AnthropicInstrumentation;
  processor: CollectingProcessor;
  provider: TracerProvider;
  /** Our inference spans, ended, in end order. */
  spans(): ReadableSpan[];
  close(): Promise<void>;
}

/**
 * A real SDK client against fake-llm, patched explicitly (under vitest the SDK is
 * not loaded through the require/import hooks).
 */
export async function harness(
  sdk: any,
  version: string,
  config: AnthropicInstrumentationConfig = {},
  clientOptions: Record<string, unknown> = {},
): Promise<Harness> {
  const unregister = registerContextManager();
  const fake = await startFakeLlm();
  const processor = new CollectingProcessor();
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const inst = new AnthropicInstrumentation({ enabled: false, ...config });
  inst.setTracerProvider(provider);
  inst.getModuleDefinitions()[0]!.patch!(sdk, version);
  const client = new sdk.Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.anthropicBaseURL, maxRetries: 0, ...clientOptions });
  return {
    fake,
    sdk,
    client,
    inst,
    processor,
    provider,
    spans: () => processor.spans.filter((s) => s.instrumentationScope.name === '@costtrace/instrumentation-anthropic'),
    close: async () => {
      inst.getModuleDefinitions()[0]!.unpatch!(sdk, version);
      await fake.close();
      unregister();
    },
  };
}

/** No call of ours is left open and every span started has ended. */
export function expectAllEnded(h: Harness, expectFn: (v: unknown) => any): void {
  const open = openCallCount();
  const openSpans = h.processor.open.size;
  // Clean up first, so that one leaking test does not fail every later one.
  endOpenCalls();
  expectFn(open).toBe(0);
  expectFn(openSpans).toBe(0);
}

export async function closedRequest(fake: FakeLlm, index = 0): Promise<RecordedRequest> {
  const [request] = (await fake.waitForRequests(index + 1)).slice(index);
  return fake.waitForClose(request!.id);
}

export const MESSAGES = [{ role: 'user', content: 'Say hello to the test suite' }];

/** Our estimate for {@link MESSAGES}: 10 + 10 + ceil(27 / 3). */
export const MESSAGES_ESTIMATE = 29;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Registers {@link TestContextManager} with the API copy this package uses; returns the undo. */
export function registerContextManager(): () => void {
  const manager = new TestContextManager();
  context.setGlobalContextManager(manager);
  return () => context.disable();
}
