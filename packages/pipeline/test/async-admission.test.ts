import { SpanStatusCode, type Context } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  endOpenCalls,
  InferenceCall,
  openCallCount,
  ownedByOpenCall,
  setCallGate,
  type CallGate,
  type CallResult,
  type CallTicket,
  type GateCall,
} from '../src/index';
import { recordingDiag, tracing } from './support';

const scope = { traceId: '0'.repeat(32), spanId: '1'.repeat(16), name: 'run demo' };
let removeGate: (() => void) | undefined;
afterEach(() => {
  removeGate?.();
  removeGate = undefined;
  endOpenCalls();
});

function init(t: ReturnType<typeof tracing>) {
  return {
    tracer: t.tracer,
    diag: recordingDiag(),
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o-mini',
    streaming: true,
    estimate: { inputTokens: 10, maxOutputTokens: 20, choices: 1 },
  };
}

/** A gate that answers only when the test releases it, the way a shared (Redis) store would. */
function deferredGate(syncBegin: () => CallTicket = () => ({ end: () => undefined })) {
  const asked: GateCall[] = [];
  let answer: { resolve: (t: CallTicket) => void; reject: (e: unknown) => void } | undefined;
  const gate: CallGate = {
    begin: syncBegin,
    beginAsync: (call) => {
      asked.push(call);
      return new Promise<CallTicket>((resolve, reject) => {
        answer = { resolve, reject };
      });
    },
  };
  removeGate = setCallGate(gate);
  return { asked, answer: () => answer! };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InferenceCall.startAsync', () => {
  it('waits for an asynchronous gate before the call may be sent, then uses its ticket', async () => {
    const t = tracing();
    const gate = deferredGate();
    const results: CallResult[] = [];
    let admitted: InferenceCall | undefined;
    const pending = InferenceCall.startAsync(init(t)).then((c) => (admitted = c));
    await flush();
    expect(admitted).toBeUndefined();
    expect(gate.asked.map((c) => [c.requestModel, c.estimate.maxOutputTokens])).toEqual([['gpt-4o-mini', 20]]);
    gate.answer().resolve({ model: 'gpt-4o-mini-cheap', end: (r) => results.push(r) });
    const call = await pending;
    expect(call.model).toBe('gpt-4o-mini-cheap');
    expect(call.sendSignal).toBe(call.signal);
    call.recordUsage({ inputTokens: 10, outputTokens: 3 }, false);
    call.end();
    expect(results).toEqual([{ outcome: 'completed', usage: { inputTokens: 10, outputTokens: 3 }, usageEstimated: false }]);
    expect(t.exporter.getFinishedSpans()[0]!.attributes['costtrace.budget.downgraded_from']).toBe('gpt-4o-mini');
    expect(openCallCount()).toBe(0);
  });

  it('rejects with the refusal the asynchronous gate answers, the span ended as budget_refused', async () => {
    const t = tracing();
    const gate = deferredGate();
    const refusal = new BudgetExceededError({ scope, limitUsd: 1, spentUsd: 1, action: 'refused' });
    const pending = InferenceCall.startAsync(init(t));
    await flush();
    expect(openCallCount()).toBe(1);
    gate.answer().reject(refusal);
    await expect(pending).rejects.toBe(refusal);
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'costtrace.call.outcome': 'budget_refused',
      'gen_ai.response.finish_reasons': ['error'],
      'error.type': 'BudgetExceededError',
    });
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: refusal.message });
    expect(openCallCount()).toBe(0);
  });

  it('sends the call unguarded, and says so, when the asynchronous gate fails', async () => {
    const t = tracing();
    const diag = recordingDiag();
    const gate = deferredGate();
    const pending = InferenceCall.startAsync({ ...init(t), diag });
    await flush();
    gate.answer().reject(new TypeError('store bug'));
    const call = await pending;
    expect(call.ended).toBe(false);
    expect(diag.errors[0]![0]).toMatch(/sent without a budget check/);
    call.end();
  });

  it('hands the ticket back when shutdown ended the call during admission', async () => {
    const t = tracing();
    const gate = deferredGate();
    const results: CallResult[] = [];
    const pending = InferenceCall.startAsync(init(t));
    await flush();
    expect(endOpenCalls()).toBe(1);
    gate.answer().resolve({ end: (r) => results.push(r) });
    await expect(pending).rejects.toThrow(/while waiting for admission/);
    expect(results).toEqual([{ outcome: 'cancelled', usageEstimated: false }]);
    expect(t.exporter.getFinishedSpans()[0]!.attributes['costtrace.call.outcome']).toBe('cancelled');
  });

  it("rejects at once with the caller's abort reason while the gate decides, and hands back the ticket it answers later", async () => {
    const t = tracing();
    const gate = deferredGate();
    const results: CallResult[] = [];
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const pending = InferenceCall.startAsync({ ...init(t), callerSignal: controller.signal });
    await flush();
    controller.abort(reason);
    // The gate has not answered (it may never): the caller is not left waiting on it.
    await expect(pending).rejects.toBe(reason);
    expect(openCallCount()).toBe(0);
    expect(t.exporter.getFinishedSpans().map((s) => s.attributes['costtrace.call.outcome'])).toEqual(['cancelled']);
    gate.answer().resolve({ end: (r) => results.push(r) });
    await flush();
    expect(results).toEqual([{ outcome: 'cancelled', usageEstimated: false }]);
  });

  it('rejects at once when the caller signal is aborted already', async () => {
    const t = tracing();
    deferredGate();
    const reason = new Error('aborted before');
    await expect(InferenceCall.startAsync({ ...init(t), callerSignal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(openCallCount()).toBe(0);
  });

  it('ends the span once when a shutdown and a refusal overlap', async () => {
    const t = tracing();
    let ends = 0;
    const tracer = {
      ...t.tracer,
      startSpan: (...args: Parameters<typeof t.tracer.startSpan>) => {
        const span = t.tracer.startSpan(...args);
        const end = span.end.bind(span);
        span.end = (time) => {
          ends++;
          end(time);
        };
        return span;
      },
    } as typeof t.tracer;
    const gate = deferredGate();
    const refusal = new BudgetExceededError({ scope, limitUsd: 1, spentUsd: 1, action: 'refused' });
    const pending = InferenceCall.startAsync({ ...init(t), tracer });
    await flush();
    gate.answer().reject(refusal);
    expect(endOpenCalls()).toBe(1); // before startAsync resumed with the refusal
    await expect(pending).rejects.toBeDefined();
    await flush();
    expect(ends).toBe(1);
    expect(t.exporter.getFinishedSpans().map((s) => s.attributes['costtrace.call.outcome'])).toEqual(['cancelled']);
  });

  it('rejects (nothing may be sent) when the gate admits after a shutdown, without waiting for it', async () => {
    const t = tracing();
    deferredGate();
    const pending = InferenceCall.startAsync(init(t));
    await flush();
    endOpenCalls();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps a call the failing gate sends unguarded in the open calls, so shutdown ends it', async () => {
    const t = tracing();
    const gate = deferredGate();
    const pending = InferenceCall.startAsync(init(t));
    await flush();
    gate.answer().reject(new TypeError('store bug'));
    const call = await pending;
    expect(openCallCount()).toBe(1);
    expect(endOpenCalls()).toBe(1);
    expect(call.ended).toBe(true);
  });

  it('answers through the synchronous begin when the gate has no beginAsync', async () => {
    const t = tracing();
    const asked: GateCall[] = [];
    removeGate = setCallGate({ begin: (c) => (asked.push(c), { end: () => undefined }) });
    const call = await InferenceCall.startAsync(init(t));
    expect(asked).toHaveLength(1);
    call.end();
  });

  it('leaves the synchronous start on begin even when the gate has beginAsync', () => {
    const t = tracing();
    let syncAsked = 0;
    deferredGate(() => (syncAsked++, { end: () => undefined }));
    InferenceCall.start(init(t)).end();
    expect(syncAsked).toBe(1);
  });
});

describe('ownedByOpenCall', () => {
  it('is true in the context a call runs its request in, until the call ends', () => {
    const t = tracing();
    const call = InferenceCall.start(init(t));
    const ctx: Context = call.context;
    expect(ownedByOpenCall(ctx)).toBe(true);
    call.end();
    expect(ownedByOpenCall(ctx)).toBe(false);
  });
});
