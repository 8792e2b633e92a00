import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortController as SmithyAbortController } from '@smithy/abort-controller';
import { BudgetExceededError, setCallGate } from '@costtrace/pipeline';
import { closedRequest, expectAllEnded, harness, MESSAGES, readAborting, sdk, type Harness } from './support';

const converse = () => new sdk.ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: MESSAGES, inferenceConfig: { maxTokens: 64 } });

/** A caller's controller of either kind, with a handler of the caller's own on its signal. */
interface CallerAbort {
  signal: unknown;
  abort(): void;
  /** How many times the caller's own handler ran. */
  handled(): number;
}

function standardAbort(): CallerAbort {
  const controller = new AbortController();
  let handled = 0;
  controller.signal.addEventListener('abort', () => handled++);
  return { signal: controller.signal, abort: () => controller.abort(), handled: () => handled };
}

/** `@smithy/abort-controller`, which the AWS SDK accepts: `onabort` only, no `addEventListener`. */
function smithyAbort(): CallerAbort {
  const controller = new SmithyAbortController();
  let handled = 0;
  controller.signal.onabort = () => void handled++;
  return { signal: controller.signal, abort: () => controller.abort(), handled: () => handled };
}

const KINDS = [
  ['a standard AbortSignal', standardAbort],
  ["the AWS SDK's own (@smithy/abort-controller) signal", smithyAbort],
] as const;

describe.each([
  ['without a budget gate', false],
  ['with a budget gate', true],
])("the caller's abortSignal, %s", (_, gated) => {
  let h: Harness;
  let removeGate: (() => void) | undefined;
  beforeEach(async () => {
    h = await harness();
    if (gated) removeGate = setCallGate({ begin: () => ({ end: () => {} }) });
  });
  afterEach(async () => {
    removeGate?.();
    removeGate = undefined;
    expectAllEnded(h, expect);
    await h.close();
  });

  it.each(KINDS)('%s aborts a pending call: AbortError, request closed, the caller\'s handler kept', async (_, make) => {
    const caller = make();
    h.fake.script({ delayMs: 5_000 });
    const pending = h.client.send(converse(), { abortSignal: caller.signal as AbortSignal });
    await h.fake.waitForRequests(1);
    caller.abort();
    const error = await pending.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BudgetExceededError);
    expect((error as Error).name).toBe('AbortError');
    expect(caller.handled()).toBe(1);
    const closed = await closedRequest(h.fake);
    expect([closed.completed, closed.clientClosedEarly]).toEqual([false, true]);
    expect(h.fake.requests).toHaveLength(1);
    expect(h.spans().map((s) => s.attributes['costtrace.call.outcome'])).toEqual(['cancelled']);
  });

  it.each(KINDS)('%s already aborted: the call rejects with AbortError and sends nothing', async (_, make) => {
    const caller = make();
    caller.abort();
    await expect(h.client.send(converse(), { abortSignal: caller.signal as AbortSignal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it.each(KINDS)('%s aborts a stream mid-way: the request is closed and the span cancelled', async (_, make) => {
    const caller = make();
    h.fake.script({ chunks: 50, chunkDelayMs: 10 });
    const output = await h.client.send(new sdk.ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages: MESSAGES }), {
      abortSignal: caller.signal as AbortSignal,
    });
    const { error, events } = await readAborting(output.stream!, 3, () => caller.abort());
    expect(error).not.toBeInstanceOf(BudgetExceededError);
    expect(events).toBeLessThan(50);
    expect(caller.handled()).toBe(1);
    const closed = await closedRequest(h.fake);
    expect(closed.clientClosedEarly).toBe(true);
    expect(h.spans().map((s) => s.attributes['costtrace.call.outcome'])).toEqual(['cancelled']);
  });

  it("one @smithy/abort-controller signal over many calls: its handler is chained once and runs once", async () => {
    const controller = new SmithyAbortController();
    let handled = 0;
    const own = () => void handled++;
    controller.signal.onabort = own;
    h.fake.script({}, {}, { delayMs: 5_000 });
    await h.client.send(converse(), { abortSignal: controller.signal as unknown as AbortSignal });
    const chained = controller.signal.onabort;
    await h.client.send(converse(), { abortSignal: controller.signal as unknown as AbortSignal });
    // The second call found its handler already on the signal: no chain that grows with every call.
    expect(controller.signal.onabort).toBe(chained);
    const pending = h.client.send(converse(), { abortSignal: controller.signal as unknown as AbortSignal });
    await h.fake.waitForRequests(3);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(handled).toBe(1);
    expect(h.spans().map((s) => s.attributes['costtrace.call.outcome'])).toEqual(['completed', 'completed', 'cancelled']);
  });
});
