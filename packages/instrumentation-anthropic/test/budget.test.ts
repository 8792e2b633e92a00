import * as sdk from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { BudgetExceededError, findBudgetExceededError, setCallGate, type GateCall } from '@costtrace/pipeline';
import { closedRequest, expectAllEnded, harness, MESSAGES, MESSAGES_ESTIMATE, type Harness } from './support';

const VERSION = '1.12.0';
const REQUEST = { model: 'claude-test-1', max_tokens: 256, messages: MESSAGES } as const;

function budgetError(action: 'refused' | 'aborted'): BudgetExceededError {
  return new BudgetExceededError({ scope: { traceId: 't', spanId: 's', name: 'run test' }, limitUsd: 1, spentUsd: 1.5, action });
}

describe('budget gate', () => {
  let h: Harness;
  let removeGate: (() => void) | undefined;
  beforeEach(async () => {
    h = await harness(sdk, VERSION);
  });
  afterEach(async () => {
    removeGate?.();
    removeGate = undefined;
    expectAllEnded(h, expect);
    await h.close();
  });

  it('a refused create() sends nothing and rejects with BudgetExceededError, keeping the APIPromise shape', async () => {
    const seen: GateCall[] = [];
    removeGate = setCallGate({
      begin: (call) => {
        seen.push(call);
        throw budgetError('refused');
      },
    });
    const promise = h.client.messages.create({ ...REQUEST, system: [{ type: 'text', text: 'cached', cache_control: { type: 'ephemeral' } }] });
    expect(promise).toBeInstanceOf(sdk.APIPromise);
    await expect(promise).rejects.toBeInstanceOf(BudgetExceededError);
    await expect(promise.withResponse()).rejects.toBeInstanceOf(BudgetExceededError);
    expect(h.fake.requests).toHaveLength(0);
    // 29 + ceil(6 / 3) for the system text; all of it may be a cache write.
    expect(seen[0]!.estimate).toEqual({ inputTokens: MESSAGES_ESTIMATE + 2, maxOutputTokens: 256, choices: 1, cacheWriteTokens: MESSAGES_ESTIMATE + 2 });
    const [span] = h.spans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['costtrace.call.outcome']).toBe('budget_refused');
    expect(span!.attributes['error.type']).toBe('BudgetExceededError');
  });

  it('a refused stream() throws BudgetExceededError synchronously and sends nothing', async () => {
    removeGate = setCallGate({
      begin: () => {
        throw budgetError('refused');
      },
    });
    expect(() => h.client.messages.stream(REQUEST)).toThrow(BudgetExceededError);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('budget_refused');
  });

  it('a downgrade sends the gate model and records the one asked for', async () => {
    removeGate = setCallGate({ begin: () => ({ model: 'claude-small-1', end: () => {} }) });
    h.fake.script({ usage: { inputTokens: 10, outputTokens: 1 } });
    await h.client.messages.create(REQUEST);
    expect(h.fake.requests[0]!.model).toBe('claude-small-1');
    const [span] = h.spans();
    expect(span!.name).toBe('chat claude-small-1');
    expect(span!.attributes['gen_ai.request.model']).toBe('claude-small-1');
    expect(span!.attributes['costtrace.budget.downgraded_from']).toBe('claude-test-1');
  });

  it('an abort mid-stream makes the iteration throw BudgetExceededError and closes the connection', async () => {
    let abort: ((reason: Error) => void) | undefined;
    const ended: string[] = [];
    removeGate = setCallGate({
      begin: (call) => {
        abort = call.abort;
        return { onUsage: (u) => { if ((u.outputTokens ?? 0) >= 2) abort!(budgetError('aborted')); }, end: (r) => ended.push(r.outcome) };
      },
    });
    h.fake.script({ text: 'one two three four five six', chunkDelayMs: 20 });
    const stream = await h.client.messages.create({ ...REQUEST, stream: true });
    const err = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    expect(ended).toEqual(['budget_aborted']);
    const [span] = h.spans();
    expect(span!.attributes['costtrace.call.outcome']).toBe('budget_aborted');
    expect(span!.attributes['error.type']).toBe('BudgetExceededError');
  });

  it('an abort of a non-streaming call rejects with the SDK abort error whose cause is the budget error', async () => {
    let abort: ((reason: Error) => void) | undefined;
    removeGate = setCallGate({ begin: (call) => ((abort = call.abort), { end: () => {} }) });
    h.fake.script({ delayMs: 2000 });
    const promise = h.client.messages.create(REQUEST);
    await h.fake.waitForRequests(1);
    abort!(budgetError('aborted'));
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(sdk.APIUserAbortError);
    expect(findBudgetExceededError(err)).toBeInstanceOf(BudgetExceededError);
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('budget_aborted');
  });

  it('an abort of a stream() helper fails it with the budget error on the cause chain', async () => {
    let abort: ((reason: Error) => void) | undefined;
    removeGate = setCallGate({ begin: (call) => ((abort = call.abort), { end: () => {} }) });
    h.fake.script({ text: 'one two three four five', chunkDelayMs: 20 });
    const helper = h.client.messages.stream(REQUEST);
    helper.on('text', () => abort!(budgetError('aborted')));
    const err = await helper.finalMessage().catch((e: unknown) => e);
    expect(findBudgetExceededError(err)).toBeInstanceOf(BudgetExceededError);
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('budget_aborted');
  });
});
