import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  endOpenCalls,
  InferenceCall,
  lazyEstimate,
  openCallCount,
  setCallGate,
  type CallGate,
  type CallResult,
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

function start(t: ReturnType<typeof tracing>, extra: Partial<Parameters<typeof InferenceCall.start>[0]> = {}) {
  return InferenceCall.start({
    tracer: t.tracer,
    diag: recordingDiag(),
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o-mini',
    streaming: false,
    estimate: { inputTokens: 10, maxOutputTokens: 20, choices: 1 },
    attributes: { 'server.address': '127.0.0.1' },
    ...extra,
  });
}

describe('InferenceCall', () => {
  it('ends a completed call once, with usage and outcome', () => {
    const t = tracing();
    const call = start(t);
    call.recordUsage({ inputTokens: 12, outputTokens: 7, cacheReadTokens: 4, reasoningTokens: 2 }, false);
    call.end({ finishReasons: ['stop'], responseModel: 'gpt-4o-mini-2024-07-18' });
    call.end({ error: new Error('late') });
    const [span, ...rest] = t.exporter.getFinishedSpans();
    expect(rest).toEqual([]);
    expect(span!.name).toBe('chat gpt-4o-mini');
    expect(span!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': '127.0.0.1',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.reasoning.output_tokens': 2,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(openCallCount()).toBe(0);
  });

  it('records an error with its class name as error.type', () => {
    class RateLimitError extends Error {}
    const t = tracing();
    const call = start(t);
    call.end({ error: new RateLimitError('slow down') });
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.attributes['error.type']).toBe('RateLimitError');
    expect(span.attributes['costtrace.call.outcome']).toBe('error');
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['error']);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'slow down' });
  });

  it('marks a call the caller aborted as cancelled with status unset', () => {
    const t = tracing();
    const caller = new AbortController();
    const call = start(t, { callerSignal: caller.signal });
    caller.abort();
    expect(call.signal.aborted).toBe(true);
    call.end({ error: new Error('Request was aborted.') });
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.attributes['costtrace.call.outcome']).toBe('cancelled');
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['error']);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks a consumer that stopped reading as cancelled', () => {
    const t = tracing();
    const call = start(t, { streaming: true });
    call.recordUsage({ outputTokens: 3 }, true);
    call.end({ consumerStopped: true });
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.attributes['costtrace.call.outcome']).toBe('cancelled');
    expect(span.attributes['costtrace.usage.estimated']).toBe(true);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(3);
  });

  it('lets the provider count replace a running estimate, never the reverse', () => {
    const t = tracing();
    const call = start(t, { streaming: true });
    call.recordUsage({ outputTokens: 3 }, true);
    call.recordUsage({ inputTokens: 10, outputTokens: 5 }, false);
    call.recordUsage({ outputTokens: 9 }, true);
    call.end();
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(5);
    expect(span.attributes['costtrace.usage.estimated']).toBeUndefined();
  });
});

describe('InferenceCall with a call gate', () => {
  function gate(impl: (call: GateCall) => ReturnType<CallGate['begin']>): GateCall[] {
    const seen: GateCall[] = [];
    removeGate = setCallGate({ begin: (c) => (seen.push(c), impl(c)) });
    return seen;
  }

  it('shows the gate a lazy estimate as an object of its own fields, counted once and only when read', () => {
    const t = tracing();
    let counted = 0;
    const estimate = () => lazyEstimate(() => (counted++, 42), { choices: 2, maxOutputTokens: 20, serviceTier: 'flex' });
    // A gate that never reads the estimate: the input is never counted.
    gate(() => ({ end: () => {} }));
    start(t, { estimate: estimate() }).end({});
    expect(counted).toBe(0);
    removeGate?.();
    // A gate that reads it: its own enumerable fields (a spread or a deep compare sees the input count), counted once.
    const seen = gate(() => ({ end: () => {} }));
    const call = start(t, { estimate: estimate() });
    expect(counted).toBe(0);
    expect({ ...seen[0]!.estimate }).toEqual({ choices: 2, maxOutputTokens: 20, serviceTier: 'flex', inputTokens: 42 });
    expect(seen[0]!.estimate).toEqual({ choices: 2, maxOutputTokens: 20, serviceTier: 'flex', inputTokens: 42 });
    expect(Object.keys(seen[0]!.estimate)).toEqual(['choices', 'maxOutputTokens', 'serviceTier', 'inputTokens']);
    expect(seen[0]!.estimate.inputTokens).toBe(42);
    expect(counted).toBe(1);
    call.end({});
  });

  it('asks the gate before the call with the estimate and the call span', () => {
    const t = tracing();
    const ended: CallResult[] = [];
    const seen = gate(() => ({ end: (r) => ended.push(r) }));
    const call = start(t);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.span).toBe(call.span);
    expect(seen[0]!.estimate).toEqual({ inputTokens: 10, maxOutputTokens: 20, choices: 1 });
    call.recordUsage({ inputTokens: 1, outputTokens: 2 }, false);
    call.end({ responseModel: 'gpt-4o-mini' });
    expect(ended).toEqual([
      { outcome: 'completed', usage: { inputTokens: 1, outputTokens: 2 }, usageEstimated: false, responseModel: 'gpt-4o-mini' },
    ]);
  });

  it('hands the SDK a signal only when something can stop the call: a budget or the caller', () => {
    const t = tracing();
    gate(() => ({ abortable: false, end: () => undefined }));
    const free = start(t);
    expect(free.sendSignal).toBeUndefined();
    const caller = new AbortController();
    const followed = start(t, { callerSignal: caller.signal });
    expect(followed.sendSignal).toBe(followed.signal);
    caller.abort(new Error('user stop'));
    expect(followed.sendSignal!.aborted).toBe(true);
    removeGate?.();
    gate(() => ({ end: () => undefined }));
    const budgeted = start(t);
    expect(budgeted.sendSignal).toBe(budgeted.signal);
    for (const c of [free, followed, budgeted]) c.end();
  });

  it('throws the gate refusal and ends the span as budget_refused', () => {
    const t = tracing();
    const refusal = new BudgetExceededError({ scope, limitUsd: 1, spentUsd: 1, action: 'refused' });
    gate(() => {
      throw refusal;
    });
    expect(() => start(t)).toThrow(refusal);
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': '127.0.0.1',
      'costtrace.call.outcome': 'budget_refused',
      'gen_ai.response.finish_reasons': ['error'],
      'error.type': 'BudgetExceededError',
    });
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: refusal.message });
    expect(openCallCount()).toBe(0);
  });

  it('sends the call unguarded, and says so, when the gate itself fails', () => {
    const t = tracing();
    const diag = recordingDiag();
    gate(() => {
      throw new TypeError('gate bug');
    });
    const call = start(t, { diag });
    expect(call.ended).toBe(false);
    expect(diag.errors[0]![0]).toMatch(/sent without a budget check/);
    call.end();
  });

  it('uses the model the gate downgrades to and records the one asked for', () => {
    const t = tracing();
    gate(() => ({ model: 'gpt-4o-mini-cheap', end: () => {} }));
    const call = start(t);
    expect(call.model).toBe('gpt-4o-mini-cheap');
    call.end();
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.name).toBe('chat gpt-4o-mini-cheap');
    expect(span.attributes['gen_ai.request.model']).toBe('gpt-4o-mini-cheap');
    expect(span.attributes['costtrace.budget.downgraded_from']).toBe('gpt-4o-mini');
  });

  it('aborts the request when the gate stops the call, and ends it as budget_aborted', () => {
    const t = tracing();
    const seen = gate(() => ({ end: () => {} }));
    const call = start(t, { streaming: true });
    const stop = new BudgetExceededError({ scope, limitUsd: 1, spentUsd: 1.2, action: 'aborted' });
    expect(seen[0]!.abort(stop)).toBe(true);
    expect(seen[0]!.abort(stop)).toBe(false);
    expect(call.signal.aborted).toBe(true);
    expect(call.budgetError).toBe(stop);
    expect(call.outcomeFor(undefined)).toBe('budget_aborted');
    call.end();
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.attributes['costtrace.call.outcome']).toBe('budget_aborted');
    expect(span.attributes['error.type']).toBe('BudgetExceededError');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: stop.message });
  });

  it('leaves a call whose own final usage crossed the budget to complete, and says it did not stop it', () => {
    const t = tracing();
    const stop = new BudgetExceededError({ scope, limitUsd: 1, spentUsd: 1.2, action: 'aborted' });
    const stopped: boolean[] = [];
    const seen = gate(() => ({ onUsage: (_u, estimated) => void (estimated || stopped.push(seen[0]!.abort(stop))), end: () => {} }));
    const call = start(t, { streaming: true });
    call.recordUsage({ inputTokens: 10, outputTokens: 3 }, true);
    call.recordUsage({ inputTokens: 10, outputTokens: 900 }, false);
    expect(stopped).toEqual([false]);
    expect(call.signal.aborted).toBe(false);
    expect(call.budgetError).toBeUndefined();
    call.end({ finishReasons: ['stop'] });
    const span = t.exporter.getFinishedSpans()[0]!;
    expect(span.attributes['costtrace.call.outcome']).toBe('completed');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('does not stop a non-streaming call whose body arrived', () => {
    const t = tracing();
    const seen = gate(() => ({ end: () => {} }));
    const call = start(t);
    call.markReceived();
    expect(seen[0]!.abort(new BudgetExceededError({ scope, limitUsd: 1, spentUsd: 1.2, action: 'aborted' }))).toBe(false);
    expect(call.outcomeFor(undefined)).toBe('completed');
    call.end();
  });

  it('ends calls still open at shutdown as cancelled, once', () => {
    const t = tracing();
    const ended: CallResult[] = [];
    gate(() => ({ end: (r) => ended.push(r) }));
    start(t, { streaming: true });
    expect(openCallCount()).toBe(1);
    expect(endOpenCalls()).toBe(1);
    expect(endOpenCalls()).toBe(0);
    expect(ended.map((r) => r.outcome)).toEqual(['cancelled']);
    expect(t.exporter.getFinishedSpans()).toHaveLength(1);
  });
});

describe('InferenceCall context', () => {
  it('runs the SDK call without the caller baggage unless asked to keep it', async () => {
    const { context, propagation } = await import('@opentelemetry/api');
    const t = tracing();
    const parent = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'acme' } }));
    const dropped = start(t, { parentContext: parent });
    const kept = start(t, { parentContext: parent, propagateBaggage: true });
    expect(propagation.getBaggage(dropped.context)).toBeUndefined();
    expect(propagation.getBaggage(kept.context)?.getEntry('tenant')?.value).toBe('acme');
    dropped.end();
    kept.end();
  });
});

describe('InferenceCall with a caller signal it cannot follow', () => {
  it('throws before starting a span, so nothing is left open when the caller calls through', () => {
    const t = tracing();
    const notASignal = { aborted: false } as unknown as AbortSignal;
    expect(() => start(t, { callerSignal: notASignal })).toThrow();
    expect(t.collector.started).toEqual([]);
    expect(openCallCount()).toBe(0);
  });
});
