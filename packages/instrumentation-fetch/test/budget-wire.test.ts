import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  endOpenCalls,
  isBudgetExceededError,
  setCallGate,
  type CallResult,
  type CallTicket,
  type GateCall,
} from '@costtrace/pipeline';
import { closedRequest, expectNothingOpen, harness, post, type Harness } from './support';

const messages = [{ role: 'user', content: 'Say hello' }];

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
}

function budgetError(action: 'refused' | 'aborted'): BudgetExceededError {
  return new BudgetExceededError({ scope: { traceId: 't', spanId: 's', name: 'run' }, limitUsd: 1, spentUsd: 1.5, action });
}

let h: Harness;
let removeGate: (() => void) | undefined;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
afterEach(() => {
  removeGate?.();
  removeGate = undefined;
  expectNothingOpen(h, expect);
  h.reset();
});

describe('budgets over fetch', () => {
  it('a refused call rejects with the BudgetExceededError itself and sends nothing', async () => {
    const refusal = budgetError('refused');
    removeGate = setCallGate({
      begin: () => {
        throw refusal;
      },
    });
    await expect(post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages })).rejects.toBe(refusal);
    await expect(post(`${h.fake.anthropicBaseURL}/v1/messages`, { model: 'claude-test-1', max_tokens: 10, messages })).rejects.toBe(refusal);
    expect(h.fake.requests).toEqual([]);
    expect(h.spans().map((s) => s.attributes['costtrace.call.outcome'])).toEqual(['budget_refused', 'budget_refused']);
  });

  it('waits for an asynchronous gate before sending, and a refusal from it sends nothing', async () => {
    const asked: GateCall[] = [];
    let answer: ((ticket: CallTicket | Error) => void) | undefined;
    removeGate = setCallGate({
      begin: () => {
        throw new Error('the synchronous path is not used by fetch');
      },
      beginAsync: (call) => {
        asked.push(call);
        return new Promise<CallTicket>((resolve, reject) => {
          answer = (t) => (t instanceof Error ? reject(t) : resolve(t));
        });
      },
    });
    const ended: CallResult[] = [];
    h.fake.script({ usage: { inputTokens: 9, outputTokens: 2 } });
    const admitted = post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages, max_tokens: 30 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked.map((c) => [c.provider, c.requestModel, c.estimate.maxOutputTokens])).toEqual([['openai', 'gpt-4o-mini', 30]]);
    expect(h.fake.requests).toEqual([]);
    answer!({ end: (r) => ended.push(r) });
    await (await admitted).json();
    expect(ended).toEqual([
      { outcome: 'completed', usage: { inputTokens: 9, outputTokens: 2, cacheReadTokens: 0, reasoningTokens: 0 }, usageEstimated: false, responseModel: 'gpt-4o-mini' },
    ]);

    const refused = post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refusal = budgetError('refused');
    answer!(refusal);
    await expect(refused).rejects.toBe(refusal);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('a stream stopped by a budget rejects the pending read with the BudgetExceededError and closes the request', async () => {
    let gateCall: GateCall | undefined;
    const ended: CallResult[] = [];
    removeGate = setCallGate({
      begin: (call) => {
        gateCall = call;
        return { onUsage: () => undefined, end: (r) => ended.push(r) };
      },
    });
    h.fake.script({ text: 'a b c d e f g h i j', chunkDelayMs: 150 });
    const res = await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages, stream: true });
    const reader = res.body!.getReader();
    await reader.read();
    const pending = reader.read();
    const stop = budgetError('aborted');
    expect(gateCall!.abort(stop)).toBe(true);
    await expect(pending).rejects.toBe(stop);
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    expect(ended.map((r) => r.outcome)).toEqual(['budget_aborted']);
    expect(h.spans()[0]!.attributes).toMatchObject({ 'costtrace.call.outcome': 'budget_aborted', 'error.type': 'BudgetExceededError' });
  });

  it('a call stopped before its response came rejects fetch with the BudgetExceededError', async () => {
    let gateCall: GateCall | undefined;
    removeGate = setCallGate({
      begin: (call) => {
        gateCall = call;
        return { end: () => undefined };
      },
    });
    h.fake.script({ delayMs: 2_000 });
    const pending = post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages });
    const [request] = await h.fake.waitForRequests(1);
    const stop = budgetError('aborted');
    gateCall!.abort(stop);
    await expect(pending).rejects.toSatisfy(isBudgetExceededError);
    expect((await h.fake.waitForClose(request!.id)).clientClosedEarly).toBe(true);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('budget_aborted');
  });

  it("follows the caller's own signal: an abort mid-stream is a cancellation", async () => {
    removeGate = setCallGate({ begin: () => ({ end: () => undefined }) });
    h.fake.script({ text: 'a b c d e f g h i j', chunkDelayMs: 100 });
    const controller = new AbortController();
    const res = await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages, stream: true }, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const pending = reader.read();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    expect(h.spans()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
  });

  it('sends a Request given with an init, downgraded on a Gemini path, with its method, headers and body', async () => {
    removeGate = setCallGate({ begin: () => ({ model: 'gemini-2.5-flash-lite', end: () => undefined }) });
    const request = new Request(`${h.fake.geminiBaseURL}/v1beta/models/gemini-2.5-pro:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test', 'x-app': 'mine' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    const response = await fetch(request, { headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test', 'x-app': 'init' } });
    expect(response.status).toBe(200);
    await response.json();
    const [sent] = h.fake.requests;
    expect([sent!.method, sent!.path, sent!.headers['x-app'], sent!.body]).toEqual([
      'POST',
      '/v1beta/models/gemini-2.5-flash-lite:generateContent',
      'init',
      { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    ]);
    expect(h.spans()[0]!.attributes['costtrace.budget.downgraded_from']).toBe('gemini-2.5-pro');
  });

  it("rejects with the caller's abort reason while an asynchronous gate decides, and sends nothing", async () => {
    let answer: ((t: CallTicket) => void) | undefined;
    const results: CallResult[] = [];
    removeGate = setCallGate({ begin: () => ({ end: () => undefined }), beginAsync: () => new Promise<CallTicket>((resolve) => (answer = resolve)) });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const pending = post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages }, { signal: controller.signal });
    await waitFor(() => answer !== undefined);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    answer!({ end: (r) => results.push(r) });
    await waitFor(() => results.length > 0);
    expect(results.map((r) => r.outcome)).toEqual(['cancelled']);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.spans().map((s) => s.attributes['costtrace.call.outcome'])).toEqual(['cancelled']);
  });

  it('sends nothing when a shutdown ends the call while an asynchronous gate decides', async () => {
    let answer: ((t: CallTicket) => void) | undefined;
    removeGate = setCallGate({ begin: () => ({ end: () => undefined }), beginAsync: () => new Promise<CallTicket>((resolve) => (answer = resolve)) });
    const pending = post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o-mini', messages });
    await waitFor(() => answer !== undefined);
    endOpenCalls();
    answer!({ end: () => undefined });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('sends the model a budget downgrades to', async () => {
    removeGate = setCallGate({ begin: () => ({ model: 'gpt-4o-mini', end: () => undefined }) });
    await (await post(`${h.fake.openaiBaseURL}/chat/completions`, { model: 'gpt-4o', messages })).json();
    expect(h.fake.requests[0]!.model).toBe('gpt-4o-mini');
    expect(h.spans()[0]!.attributes['costtrace.budget.downgraded_from']).toBe('gpt-4o');
  });
});
