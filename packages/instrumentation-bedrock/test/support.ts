import * as sdk from '@aws-sdk/client-bedrock-runtime';
import { context } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { endOpenCalls, openCallCount } from '@costtrace/pipeline';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '@costtrace/fake-llm';
import { CollectingProcessor, TestContextManager } from '@costtrace/testing';
import { BedrockInstrumentation, type BedrockInstrumentationConfig } from '../src/index';

export { sdk };
export const VERSION = '3.1164.0';

// The SDK's own notice, once per process on Node < 22, that releases after January 2027 need Node 22
// (@aws-sdk/core's emitWarningIfUnsupportedVersion reads this switch): not about costtrace.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

export interface Harness {
  fake: FakeLlm;
  client: sdk.BedrockRuntimeClient;
  inst: BedrockInstrumentation;
  processor: CollectingProcessor;
  /** Our inference spans, ended, in end order. */
  spans(): ReadableSpan[];
  close(): Promise<void>;
}

/** Explicit region, dummy credentials and fake-llm's h2c endpoint: nothing leaves loopback. */
export function clientConfig(fake: FakeLlm, extra: Record<string, unknown> = {}): sdk.BedrockRuntimeClientConfig {
  return {
    region: 'us-east-1',
    endpoint: fake.bedrockEndpoint,
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake-secret' },
    ...extra,
  };
}

/** A real client against fake-llm, patched explicitly (under vitest the SDK is not loaded through the hooks). */
export async function harness(config: BedrockInstrumentationConfig = {}, extra: Record<string, unknown> = {}): Promise<Harness> {
  const manager = new TestContextManager();
  context.setGlobalContextManager(manager);
  const fake = await startFakeLlm();
  const processor = new CollectingProcessor();
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const inst = new BedrockInstrumentation({ enabled: false, ...config });
  inst.setTracerProvider(provider);
  inst.getModuleDefinitions()[0]!.patch!(sdk, VERSION);
  const client = new sdk.BedrockRuntimeClient(clientConfig(fake, extra));
  return {
    fake,
    client,
    inst,
    processor,
    spans: () => processor.spans.filter((s) => s.instrumentationScope.name === '@costtrace/instrumentation-bedrock'),
    close: async () => {
      inst.getModuleDefinitions()[0]!.unpatch!(sdk, VERSION);
      client.destroy();
      await fake.close();
      context.disable();
    },
  };
}

/** No call of ours is left open and every span started has ended. */
export function expectAllEnded(h: Harness, expectFn: (v: unknown) => any): void {
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

export const MESSAGES = [{ role: 'user' as const, content: [{ text: 'Say hello to the test suite' }] }];

/** Reads a stream to its end, calling `abort` at event `at`: what the iteration threw (undefined when it ended) and the events read. */
export async function readAborting(stream: AsyncIterable<unknown>, at: number, abort: () => void): Promise<{ error: unknown; events: number }> {
  let events = 0;
  try {
    for await (const _ of stream) if (++events === at) abort();
  } catch (error) {
    return { error, events };
  }
  return { error: undefined, events };
}
