// The adapter against the `ai:telemetry` tracing channel, published the way ai@7 publishes it
// (`tracePromise` for generateText, a step, a model call; `start.runStores` around an
// AsyncResource for streamText). ai@7 itself (Node >= 22) runs out of process in
// test/frameworks-ai-sdk.test.ts.
import { AsyncResource } from 'node:async_hooks';
import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { frameworkAgentName } from '@costtrace/pipeline';
import { AiSdkInstrumentation, functionIdOf } from '../src/ai-sdk';

const channel = tracingChannel<unknown, object>('ai:telemetry');
const message = (type: string, functionId?: string) => ({ type, event: { operationId: `ai.${type}`, functionId } });
const traced = <T>(type: string, functionId: string | undefined, fn: () => Promise<T>) => channel.tracePromise(fn, message(type, functionId));

let inst: AiSdkInstrumentation | undefined;
afterEach(() => {
  inst?.disable();
  inst = undefined;
});

describe('AiSdkInstrumentation', () => {
  it('names a model call after the functionId of the operation running it', async () => {
    inst = new AiSdkInstrumentation();
    const seen = await traced('generateText', 'researcher', () =>
      traced('languageModelCall', 'researcher', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return frameworkAgentName();
      }),
    );
    expect(seen).toBe('researcher');
    expect(frameworkAgentName()).toBeUndefined();
  });

  it('keeps the enclosing functionId for a nested call with none, and the innermost one otherwise', async () => {
    inst = new AiSdkInstrumentation();
    const seen = await traced('generateText', 'planner', async () => [
      await traced('generateText', undefined, async () => frameworkAgentName()),
      await traced('generateText', 'critic', async () => frameworkAgentName()),
      frameworkAgentName(),
    ]);
    expect(seen).toEqual(['planner', 'critic', 'planner']);
  });

  it('names the calls of a stream re-entered later through its AsyncResource', async () => {
    inst = new AiSdkInstrumentation();
    let resource: AsyncResource | undefined;
    channel.start.runStores(message('streamText', 'writer'), () => {
      resource = new AsyncResource('ai.telemetry');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(resource!.runInAsyncScope(() => frameworkAgentName())).toBe('writer');
  });

  it('stops naming calls once disabled', async () => {
    inst = new AiSdkInstrumentation();
    inst.disable();
    expect(await traced('generateText', 'researcher', async () => frameworkAgentName())).toBeUndefined();
  });

  it('reads only a non-empty string functionId', () => {
    expect(functionIdOf(message('generateText', 'a'))).toBe('a');
    expect(functionIdOf(message('generateText', ''))).toBeUndefined();
    expect(functionIdOf({ event: { functionId: 3 } })).toBeUndefined();
    expect(functionIdOf(null)).toBeUndefined();
  });
});
