// One call's life under a budget, out of process: the real openai 6 SDK (the undici leg where a
// read after a late abort never settles) against fake-llm, under `node --import/--require
// @costtrace/register`. Each scenario has its own deadline, so a caller left pending fails fast.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import { scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

const SCENARIOS = ['lifecycle/own-usage-crosses', 'lifecycle/parallel-crosses', 'lifecycle/error-echoes-key'];
const inference = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);
const runSpan = (spans: ReceivedSpan[]) => spans.find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_workflow')!;

describe.each(['esm', 'cjs'] as ModuleSystem[])('call lifecycle under a budget, openai-v6, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'openai-v6' as const, mode };
  const run = useRun(servers, { ...opts, scenarios: SCENARIOS });
  const outcome = (name: string) => run().outcomes[`lifecycle/${name}`]!;
  const requests = (name: string) => servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix(opts)}lifecycle/${name}`);

  it('runs cleanly', () => expectCleanExit(run()));

  it('completes a stream whose own final usage chunk crosses the run budget, at its real cost', () => {
    // The caller's loop ends normally with every chunk (role, three words, finish).
    expect(outcome('own-usage-crosses').result).toEqual({ chunks: 5, text: 'one two three' });
    const [call] = inference(outcome('own-usage-crosses').spans);
    expect(call!.attributes['costtrace.call.outcome']).toBe('completed');
    expect(call!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(call!.attributes['error.type']).toBeUndefined();
    expect(call!.status.code).toBe(0);
    expect(call!.attributes['costtrace.usage.estimated']).toBeUndefined();
    expect(call!.attributes['costtrace.pricing.status']).toBe('priced');
    // 20 × $2 + 10,000 × $8 per million = $0.00004 + $0.08
    expect(call!.attributes['gen_ai.usage.cost.amount']).toBe(0.08004);
    // The scope is still marked exceeded; the call was not aborted.
    expect(runSpan(outcome('own-usage-crosses').spans).attributes).toMatchObject({
      'costtrace.budget.exceeded': true,
      'costtrace.budget.spent_usd': 0.08004,
    });
    expect(requests('own-usage-crosses').map((r) => r.completed)).toEqual([true]);
  });

  it('settles a pending stream read with BudgetExceededError when a parallel call crosses the budget', () => {
    const result = outcome('parallel-crosses').result as Record<string, unknown>;
    expect(result).not.toHaveProperty('hung');
    expect(result).toEqual({
      stream: { chunks: expect.any(Number), error: { name: 'BudgetExceededError', budget: true, action: 'aborted' } },
      // The call whose own usage crossed arrived in full: its caller gets its answer.
      other: 'done',
    });
    const calls = inference(outcome('parallel-crosses').spans);
    const byStreaming = (s: ReceivedSpan) => (s.attributes['gen_ai.usage.output_tokens'] === 10_000 ? 'other' : 'stream');
    expect(Object.fromEntries(calls.map((c) => [byStreaming(c), c.attributes['costtrace.call.outcome']]))).toEqual({
      stream: 'budget_aborted',
      other: 'completed',
    });
    const other = calls.find((c) => byStreaming(c) === 'other')!;
    expect(other.status.code).toBe(0);
    expect(other.attributes['costtrace.pricing.status']).toBe('priced');
    // 20 × $2 + 10,000 × $8 per million
    expect(other.attributes['gen_ai.usage.cost.amount']).toBe(0.08004);
  });

  it('writes a provider error that echoes the API key into the span with the key redacted', () => {
    const key = 'sk-proj-Zx9fakeKEY0123456789abcdefSECRET';
    // The app itself still gets the SDK's error unchanged.
    expect(outcome('error-echoes-key').result).toMatchObject({ ctor: 'AuthenticationError', status: 401 });
    expect(JSON.stringify(outcome('error-echoes-key').result)).toContain(key);
    const [call] = inference(outcome('error-echoes-key').spans);
    expect(call!.attributes['error.type']).toBe('AuthenticationError');
    expect(call!.status).toEqual({
      code: 2,
      message: '401 Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys.',
    });
    expect(JSON.stringify(call)).not.toContain('Zx9fakeKEY');
  });
});

describe.each(['esm', 'cjs'] as ModuleSystem[])('call lifecycle under a budget, anthropic-v1, %s', (mode) => {
  const servers = useServers();
  const run = useRun(servers, { fixture: 'anthropic-v1', mode, scenarios: ['lifecycle/anthropic-own-usage-crosses'] });
  const outcome = () => run().outcomes['lifecycle/anthropic-own-usage-crosses']!;

  it('runs cleanly', () => expectCleanExit(run()));

  it('records a non-streaming message received in full as completed at its real cost, though its usage crossed the budget', () => {
    expect(outcome().result).toEqual({ text: 'fine' });
    const [call] = inference(outcome().spans);
    expect(call!.attributes['costtrace.call.outcome']).toBe('completed');
    expect(call!.attributes['error.type']).toBeUndefined();
    expect(call!.status.code).toBe(0);
    expect(call!.attributes['costtrace.pricing.status']).toBe('priced');
    // 60,000 × $1 + 5 × $5 per million = $0.06 + $0.000025
    expect(call!.attributes['gen_ai.usage.cost.amount']).toBe(0.060025);
    expect(runSpan(outcome().spans).attributes['costtrace.budget.exceeded']).toBe(true);
  });
});
