// Budgets end to end: real SDKs against fake-llm under `node --import/--require @costtrace/register`,
// spans over OTLP/HTTP. The scenarios are in test/scenarios/budget.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import { scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

const inference = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);
const named = (spans: ReceivedSpan[], op: string, name?: string) =>
  spans.find((s) => s.attributes['gen_ai.operation.name'] === op && (name === undefined || s.attributes['gen_ai.agent.name'] === name))!;

describe.each(['esm', 'cjs'] as ModuleSystem[])('budgets, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'mixed' as const, mode };
  const run = useRun(servers, {
    ...opts,
    scenarios: ['budget/six-streams', 'budget/agent-budget', 'budget/fifty-calls', 'budget/downgrade'],
    env: { COSTTRACE_BUDGET_DOWNGRADES: 'claude-opus-4-7=claude-haiku-4-5' },
  });
  const outcome = (name: string) => run().outcomes[`budget/${name}`]!;
  const requests = (name: string) => servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix(opts)}budget/${name}`);

  it('runs cleanly', () => expectCleanExit(run()));

  it('stops six parallel streams past a $0.05 run budget, within one chunk per stream', () => {
    const results = outcome('six-streams').result as Array<{ chunks: number; error: { budget: boolean; action: string } | null }>;
    expect(results).toHaveLength(6);
    // Every caller's loop ends in BudgetExceededError, not a silent end of stream.
    for (const r of results) expect(r.error).toEqual({ name: 'BudgetExceededError', budget: true, action: 'aborted' });
    // fake-llm saw every started stream closed early: the requests really stopped.
    const reqs = requests('six-streams');
    expect(reqs).toHaveLength(6);
    for (const r of reqs) expect([r.clientClosedEarly, r.completed]).toEqual([true, false]);
    const calls = inference(outcome('six-streams').spans);
    expect(calls.map((c) => c.attributes['costtrace.call.outcome'])).toEqual(Array(6).fill('budget_aborted'));
    for (const c of calls) {
      expect(c.attributes['error.type']).toBe('BudgetExceededError');
      expect(c.status.code).toBe(2);
      expect(c.attributes['costtrace.pricing.status']).toBe('estimated');
    }
    const priced = calls.reduce((sum, c) => sum + Number(c.attributes['gen_ai.usage.cost.amount']), 0);
    expect(priced).toBeGreaterThan(0.05 - 6 * 0.0004);
    // Charged for exactly what the callers received: each counted its chunks (the role chunk, then
    // deltas of 50 tokens, a stream's first one 51), and the calls' output tokens are those deltas'.
    const deltas = results.map((r) => Math.max(0, r.chunks - 1));
    const outputTokens = calls.reduce((n, c) => n + Number(c.attributes['gen_ai.usage.output_tokens']), 0);
    expect(outputTokens).toBe(deltas.reduce((n, d) => n + d * 50 + (d > 0 ? 1 : 0), 0));
    // Everything the callers received came from fake-llm.
    const sent = reqs.reduce((n, r) => n + r.chunksSent, 0);
    expect(deltas.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(sent);
    // The bound: at most one chunk ($0.0004: 50 tokens × $8 per million) per in-flight stream past
    // the limit. It holds however loaded the machine is: once a crossing stops the scope's calls,
    // no stream yields (or charges) another chunk, even one already read into the SDK's buffer.
    const bound = 0.05 + 6 * 0.0004;
    expect(priced).toBeLessThanOrEqual(bound);
    const runSpan = named(outcome('six-streams').spans, 'invoke_workflow');
    expect(runSpan.attributes).toMatchObject({
      'costtrace.budget.limit_usd': 0.05,
      'costtrace.budget.exceeded': true,
      'costtrace.budget.aborted_calls': 6,
      'costtrace.budget.refused_calls': 0,
    });
    expect(Number(runSpan.attributes['costtrace.budget.spent_usd'])).toBeLessThanOrEqual(bound);
    expect(runSpan.events.map((e) => e.name)).toContain('costtrace.budget.exceeded');
  });

  it('stops only the researcher at its $0.01 budget; the writer still runs and the $10 run is not exceeded', () => {
    const result = outcome('agent-budget').result as { researcher: unknown[]; writer: string };
    expect(result.researcher).toEqual([
      { ok: 'first finding' },
      { budget: true, action: 'refused', scope: 'invoke_agent researcher', limitUsd: 0.01 },
    ]);
    expect(result.writer).toBe('draft');
    // The refused call never left: two requests in all (the researcher's first, the writer's).
    expect(requests('agent-budget').map((r) => r.model)).toEqual(['gpt-4.1', 'claude-haiku-4-5']);
    const spans = outcome('agent-budget').spans;
    const researcher = named(spans, 'invoke_agent', 'researcher');
    expect(Number(researcher.attributes['costtrace.budget.spent_usd'])).toBeLessThanOrEqual(0.01);
    expect(researcher.attributes['costtrace.budget.spent_usd']).toBe(0.005);
    expect(researcher.attributes['costtrace.budget.refused_calls']).toBe(1);
    const runSpan = named(spans, 'invoke_workflow');
    expect(runSpan.attributes['costtrace.budget.exceeded']).toBe(false);
    expect(named(spans, 'invoke_agent', 'writer').attributes['costtrace.subtree.llm_calls']).toBe(1);
  });

  it('sends at most ten of fifty parallel Anthropic calls when the budget covers ten, refusing the rest before any request leaves', () => {
    expect(outcome('fifty-calls').result).toEqual({ sent: 10, refused: 40 });
    expect(requests('fifty-calls')).toHaveLength(10);
    const spans = outcome('fifty-calls').spans;
    const outcomes = inference(spans).map((s) => s.attributes['costtrace.call.outcome']);
    expect(outcomes.filter((o) => o === 'budget_refused')).toHaveLength(40);
    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(10);
    const runSpan = named(spans, 'invoke_workflow');
    // 10 × (100 × $1 + 800 × $5 per million) = 10 × $0.0041 = $0.041, within the $0.0525 limit.
    expect(runSpan.attributes['costtrace.budget.spent_usd']).toBe(0.041);
    expect(runSpan.attributes['costtrace.budget.refused_calls']).toBe(40);
    expect(runSpan.attributes['costtrace.subtree.cost_usd']).toBe(0.041);
  });

  it('downgrades to the cheaper model at the soft limit, visibly, with the money saved', () => {
    expect(outcome('downgrade').result).toEqual({ models: ['claude-opus-4-7', 'claude-haiku-4-5'] });
    expect(requests('downgrade').map((r) => r.model)).toEqual(['claude-opus-4-7', 'claude-haiku-4-5']);
    const calls = inference(outcome('downgrade').spans);
    const second = calls.find((c) => c.attributes['costtrace.budget.downgraded_from'] === 'claude-opus-4-7')!;
    expect(second.name).toBe('chat claude-haiku-4-5');
    expect(second.attributes['gen_ai.request.model']).toBe('claude-haiku-4-5');
    // Opus would have cost 1000 × 5 + 1000 × 25 = $0.030; Haiku costs 1000 × 1 + 1000 × 5 = $0.006.
    expect(second.attributes['gen_ai.usage.cost.amount']).toBe(0.006);
    expect(second.attributes['costtrace.budget.saved_usd']).toBe(0.024);
    const runSpan = named(outcome('downgrade').spans, 'invoke_workflow');
    expect(runSpan.events.map((e) => e.name)).toContain('costtrace.budget.warning');
    expect(runSpan.attributes['costtrace.budget.spent_usd']).toBe(0.606);
  });
});
