import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  BudgetExceededError,
  findBudgetExceededError,
  isBudgetExceededError,
  setCallGate,
  type CallResult,
  type GateCall,
} from '@costtrace/pipeline';
import type { TokenUsage } from '@costtrace/semconv';
import { collect, expectNothingOpen, harness, loadSdk, server, type Harness } from './support';

const { sdk, version } = loadSdk(6);
const messages = [{ role: 'user', content: 'Hello there' }];

function budgetError(action: 'refused' | 'aborted'): BudgetExceededError {
  return new BudgetExceededError({ scope: { traceId: 't', spanId: 's', name: 'run' }, limitUsd: 1, spentUsd: 1.5, action });
}

let h: Harness;
let removeGate: (() => void) | undefined;
beforeAll(async () => {
  h = await harness(sdk, version);
});
afterAll(() => h.close());
afterEach(() => {
  removeGate?.();
  removeGate = undefined;
  expectNothingOpen(h);
  h.reset();
});

describe('budget gate', () => {
  it('shows the gate the call and its estimate before sending, and settles it with the final usage', async () => {
    const seen: GateCall[] = [];
    const ended: CallResult[] = [];
    removeGate = setCallGate({
      begin: (call) => {
        seen.push(call);
        expect(h.fake.requests).toHaveLength(0);
        return { end: (r) => ended.push(r) };
      },
    });
    h.fake.script({ usage: { inputTokens: 40, outputTokens: 6 } });
    await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 64, n: 2, service_tier: 'flex' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      provider: 'openai',
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      streaming: false,
      estimate: { inputTokens: 9, maxOutputTokens: 64, choices: 2, serviceTier: 'flex' },
    });
    expect(ended).toEqual([
      {
        outcome: 'completed',
        usage: { inputTokens: 40, outputTokens: 6, cacheReadTokens: 0, reasoningTokens: 0 },
        usageEstimated: false,
        responseModel: 'gpt-4o-mini',
      },
    ]);
  });

  it('a refused call sends nothing and rejects with BudgetExceededError', async () => {
    removeGate = setCallGate({
      begin: () => {
        throw budgetError('refused');
      },
    });
    // .withResponse() alone: the base promise must not surface as an unhandled rejection.
    await expect(h.client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse()).rejects.toSatisfy(
      isBudgetExceededError,
    );
    await expect(h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })).rejects.toSatisfy(
      isBudgetExceededError,
    );
    await expect(h.client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })).rejects.toSatisfy(
      isBudgetExceededError,
    );
    expect(h.fake.requests).toHaveLength(0);
    const span = h.spans()[0]!;
    expect(h.spans()).toHaveLength(3);
    expect(h.spans()[1]!.attributes['costtrace.call.outcome']).toBe('budget_refused');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      ...server(h),
      'error.type': 'BudgetExceededError',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'budget_refused',
    });
  });

  it('a refused chat.completions.stream() helper reports the BudgetExceededError', async () => {
    removeGate = setCallGate({
      begin: () => {
        throw budgetError('refused');
      },
    });
    const runner = h.client.chat.completions.stream({ model: 'gpt-4o-mini', messages });
    // The helper wraps errors that are not OpenAIErrors in one, with the original as `cause`.
    const err = await runner.finalChatCompletion().catch((e: unknown) => e);
    expect(isBudgetExceededError(findBudgetExceededError(err))).toBe(true);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('sends the downgraded model and records both names', async () => {
    removeGate = setCallGate({ begin: () => ({ model: 'gpt-4.1-nano', end: () => undefined }) });
    await h.client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(h.fake.requests[0]!.model).toBe('gpt-4.1-nano');
    const span = h.onlySpan();
    expect(span.name).toBe('chat gpt-4.1-nano');
    expect(span.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4.1-nano',
      'costtrace.budget.downgraded_from': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4.1-nano',
    });
  });

  it('takes back the running charge of a Responses stream that failed with an error event: the provider billed nothing', async () => {
    const updates: Array<[TokenUsage, boolean]> = [];
    const ended: CallResult[] = [];
    removeGate = setCallGate({
      begin: () => ({ onUsage: (usage, estimated) => updates.push([usage, estimated]), end: (r) => ended.push(r) }),
    });
    h.fake.script({ text: 'lorem ipsum dolor', streamError: { afterChunks: 2, message: 'overloaded', code: 'server_error' } });
    await collect(await h.client.responses.create({ model: 'gpt-5-mini', input: 'Say hi', stream: true }));
    // Two deltas charged as they came ("lorem", " ipsum"), then nothing, as the provider's count.
    expect(updates).toEqual([
      [{ inputTokens: 9, outputTokens: 2 }, true],
      [{ inputTokens: 9, outputTokens: 3 }, true],
      [{ inputTokens: 0, outputTokens: 0 }, false],
    ]);
    expect(ended).toEqual([{ outcome: 'error', usage: { inputTokens: 0, outputTokens: 0 }, usageEstimated: false, responseModel: 'gpt-5-mini' }]);
  });

  it('feeds running usage to the gate and throws BudgetExceededError from an aborted stream', async () => {
    const updates: Array<[TokenUsage, boolean]> = [];
    let abort: ((reason: Error) => void) | undefined;
    const ended: CallResult[] = [];
    removeGate = setCallGate({
      begin: (call) => {
        abort = call.abort;
        return {
          onUsage: (usage, estimated) => {
            updates.push([usage, estimated]);
            if ((usage.outputTokens ?? 0) >= 3) abort?.(budgetError('aborted'));
          },
          end: (r) => ended.push(r),
        };
      },
    });
    h.fake.script({ text: 'lorem ipsum dolor sit amet consectetur', chunkDelayMs: 20 });
    const chunks: unknown[] = [];
    const err = await (async () => {
      for await (const chunk of await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })) {
        chunks.push(chunk);
      }
    })().catch((e: unknown) => e);
    expect(isBudgetExceededError(err)).toBe(true);
    expect(updates[0]).toEqual([{ inputTokens: 9, outputTokens: 2 }, true]);
    expect(updates.every(([, estimated]) => estimated)).toBe(true);
    expect(ended).toEqual([{ outcome: 'budget_aborted', usage: { inputTokens: 9, outputTokens: 3 }, usageEstimated: true, responseModel: 'gpt-4o-mini' }]);
    const span = h.onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({
      'error.type': 'BudgetExceededError',
      'costtrace.call.outcome': 'budget_aborted',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.usage.estimated': true,
    });
    expect((await h.fake.waitForClose(h.fake.requests[0]!.id)).clientClosedEarly).toBe(true);
  });

  it('the stream() helper surfaces the budget abort as a BudgetExceededError', async () => {
    removeGate = setCallGate({
      begin: (call) => ({
        onUsage: (usage) => {
          if ((usage.outputTokens ?? 0) >= 2) call.abort(budgetError('aborted'));
        },
        end: () => undefined,
      }),
    });
    h.fake.script({ text: 'lorem ipsum dolor sit amet consectetur', chunkDelayMs: 20 });
    const runner = h.client.chat.completions.stream({ model: 'gpt-4o-mini', messages });
    const err = await runner.finalChatCompletion().catch((e: unknown) => e);
    expect(findBudgetExceededError(err)).toBeDefined();
    expect(h.onlySpan().attributes['costtrace.call.outcome']).toBe('budget_aborted');
  });

  it('an aborted non-streaming call rejects with the SDK abort error whose cause is the BudgetExceededError', async () => {
    let abort: ((reason: Error) => void) | undefined;
    removeGate = setCallGate({
      begin: (call) => {
        abort = call.abort;
        return { end: () => undefined };
      },
    });
    h.fake.script({ delayMs: 500 });
    const pending = h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await h.fake.waitForRequests(1);
    const reason = budgetError('aborted');
    abort!(reason);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(sdk.APIUserAbortError);
    expect((err as { cause?: unknown }).cause).toBe(reason);
    expect(findBudgetExceededError(err)).toBe(reason);
    expect(h.onlySpan().attributes).toMatchObject({
      'error.type': 'BudgetExceededError',
      'costtrace.call.outcome': 'budget_aborted',
      'gen_ai.usage.input_tokens': 9,
      'costtrace.usage.estimated': true,
    });
    expect((await h.fake.waitForClose(h.fake.requests[0]!.id)).clientClosedEarly).toBe(true);
  });

  it('a gate that throws something else lets the call through', async () => {
    removeGate = setCallGate({
      begin: () => {
        throw new Error('gate bug');
      },
    });
    const c = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(c.choices).toHaveLength(1);
    expect(h.onlySpan().attributes['costtrace.call.outcome']).toBe('completed');
  });

  it('collects a streamed call fully with no gate installed', async () => {
    h.fake.script({ text: 'lorem' });
    expect((await collect(await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }))).length).toBe(3);
  });
});
