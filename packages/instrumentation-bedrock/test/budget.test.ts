import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetExceededError, setCallGate, type GateCall } from '@costtrace/pipeline';
import { closedRequest, expectAllEnded, harness, MESSAGES, readAborting, sdk, type Harness } from './support';

function budgetError(action: 'refused' | 'aborted'): BudgetExceededError {
  return new BudgetExceededError({ scope: { traceId: 't', spanId: 's', name: 'run test' }, limitUsd: 1, spentUsd: 1.5, action });
}

const converse = (extra: Record<string, unknown> = {}) =>
  new sdk.ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: MESSAGES, inferenceConfig: { maxTokens: 64 }, ...extra });

describe('budget gate', () => {
  let h: Harness;
  let removeGate: (() => void) | undefined;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => {
    removeGate?.();
    removeGate = undefined;
    expectAllEnded(h, expect);
    await h.close();
  });

  it('a refused send() rejects with BudgetExceededError and sends nothing; the gate sees the request estimate', async () => {
    const seen: GateCall[] = [];
    removeGate = setCallGate({
      begin: (call) => {
        seen.push(call);
        throw budgetError('refused');
      },
    });
    await expect(h.client.send(converse())).rejects.toBeInstanceOf(BudgetExceededError);
    const viaCallback = await new Promise((resolve) => h.client.send(converse(), (err: unknown) => resolve(err)));
    expect(viaCallback).toBeInstanceOf(BudgetExceededError);
    expect(h.fake.requests).toHaveLength(0);
    // 10 per request + 10 per message + ceil(27 / 3) for the text.
    expect(seen[0]).toMatchObject({ provider: 'aws.bedrock', requestModel: 'amazon.nova-lite-v1:0', streaming: false });
    expect({ ...seen[0]!.estimate }).toEqual({ inputTokens: 29, maxOutputTokens: 64, choices: 1 });
    expect(h.spans().map((s) => [s.attributes['costtrace.call.outcome'], s.attributes['error.type']])).toEqual([
      ['budget_refused', 'BudgetExceededError'],
      ['budget_refused', 'BudgetExceededError'],
    ]);
  });

  it('an abort mid-stream makes the iteration throw BudgetExceededError and resets the request', async () => {
    let abort: ((reason: Error) => void) | undefined;
    removeGate = setCallGate({
      begin: (call) => {
        abort = call.abort;
        return { onUsage: (u) => void ((u.outputTokens ?? 0) >= 2 && abort!(budgetError('aborted'))), end: () => {} };
      },
    });
    h.fake.script({ chunks: 50, chunkDelayMs: 10, usage: { inputTokens: 10, outputTokens: 200 } });
    const output = await h.client.send(
      new sdk.InvokeModelWithResponseStreamCommand({
        modelId: 'meta.llama3-1-8b-instruct-v1:0',
        body: JSON.stringify({ prompt: 'Tell me a long story', max_gen_len: 512 }),
      }),
    );
    let events = 0;
    const read = (async () => {
      for await (const _ of output.body!) events++;
    })();
    await expect(read).rejects.toBeInstanceOf(BudgetExceededError);
    expect(events).toBeLessThan(50);
    const closed = await closedRequest(h.fake);
    expect([closed.completed, closed.clientClosedEarly]).toEqual([false, true]);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('budget_aborted');
  });

  it('an abort before the response rejects with BudgetExceededError, closes the request and is not retried', async () => {
    let abort: ((reason: Error) => void) | undefined;
    removeGate = setCallGate({ begin: (call) => ((abort = call.abort), { end: () => {} }) });
    h.fake.script({ delayMs: 5_000 }, {}, {});
    const pending = h.client.send(converse());
    await h.fake.waitForRequests(1);
    abort!(budgetError('aborted'));
    await expect(pending).rejects.toBeInstanceOf(BudgetExceededError);
    const closed = await closedRequest(h.fake);
    expect([closed.completed, closed.clientClosedEarly]).toEqual([false, true]);
    // The client's default retry strategy (3 attempts) saw its abortSignal aborted and gave up: the
    // rejection came through it, so no retry can follow.
    expect(h.fake.requests).toHaveLength(1);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('budget_aborted');
  });

  it('a downgrade sends the gate model in the path and records the one asked for', async () => {
    removeGate = setCallGate({ begin: () => ({ model: 'amazon.nova-micro-v1:0', end: () => {} }) });
    const output = await h.client.send(converse());
    expect(output.stopReason).toBe('end_turn');
    expect(h.fake.requests.map((r) => r.model)).toEqual(['amazon.nova-micro-v1:0']);
    expect(h.spans()[0]!.attributes).toMatchObject({
      'gen_ai.request.model': 'amazon.nova-micro-v1:0',
      'costtrace.budget.downgraded_from': 'amazon.nova-lite-v1:0',
    });
  });

  it("follows the caller's own abortSignal: an abort mid-stream ends the span as cancelled", async () => {
    removeGate = setCallGate({ begin: () => ({ end: () => {} }) });
    h.fake.script({ chunks: 50, chunkDelayMs: 10 });
    const controller = new AbortController();
    const output = await h.client.send(new sdk.ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages: MESSAGES }), {
      abortSignal: controller.signal,
    });
    const { error } = await readAborting(output.stream!, 3, () => controller.abort());
    expect(error).not.toBeInstanceOf(BudgetExceededError);
    const closed = await closedRequest(h.fake);
    expect(closed.clientClosedEarly).toBe(true);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
  });
});
