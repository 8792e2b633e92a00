// End to end: real SDKs against fake-llm, under `node --import/--require @costtrace/register`,
// spans over OTLP/HTTP to a loopback receiver. Rollups are checked exactly, in pico-USD.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import type { ModuleSystem } from './helpers/scenario-runner';

const pico = (usd: unknown): bigint => BigInt(Math.round(Number(usd) * 1e12));
const isCall = (s: ReceivedSpan) => ['priced', 'estimated', 'unpriced', 'invalid'].includes(String(s.attributes['costtrace.pricing.status']));

/** Calls at or under `top`, following parent links within the scenario's spans. */
function callsUnder(spans: ReceivedSpan[], top: ReceivedSpan): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  return spans.filter((s) => {
    for (let cur: ReceivedSpan | undefined = s; cur; cur = cur.parentSpanId ? byId.get(cur.parentSpanId) : undefined) {
      if (cur === top) return isCall(s);
    }
    return false;
  });
}

describe.each(['esm', 'cjs'] as ModuleSystem[])('cost rollup, %s', (mode) => {
  const servers = useServers();
  const run = useRun(servers, { fixture: 'mixed', mode, scenarios: ['cost/pipeline', 'cost/fleet'] });
  const spans = (name: string) => run().outcomes[`cost/${name}`]!.spans;
  const agent = (name: string, agentName: string) =>
    spans(name).find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent' && s.attributes['gen_ai.agent.name'] === agentName)!;
  const runSpan = (name: string) => spans(name).find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_workflow')!;

  it('runs cleanly', () => {
    expectCleanExit(run());
    expect(run().outcomes['cost/pipeline']!.result).toEqual({ done: true });
  });

  it('gives every agent the exact sum of its calls, and the run the exact sum over agents', () => {
    const agents = ['planner', 'researcher-1', 'researcher-2', 'researcher-3', 'writer', 'reviewer'];
    let overAgents = 0n;
    for (const name of agents) {
      const a = agent('pipeline', name);
      const calls = callsUnder(spans('pipeline'), a);
      const sum = calls.reduce((acc, c) => acc + (c.attributes['gen_ai.usage.cost.amount'] === undefined ? 0n : pico(c.attributes['gen_ai.usage.cost.amount'])), 0n);
      expect(pico(a.attributes['costtrace.subtree.cost_usd']), name).toBe(sum);
      expect(a.attributes['costtrace.subtree.llm_calls'], name).toBe(calls.length);
      // Each leaf carries its agent and the run id, so a backend can group without walking the tree.
      for (const c of calls) expect([c.attributes['gen_ai.agent.name'], c.attributes['costtrace.run.id']]).toEqual([name, runSpan('pipeline').attributes['costtrace.run.id']]);
      overAgents += sum;
    }
    expect(pico(runSpan('pipeline').attributes['costtrace.subtree.cost_usd'])).toBe(overAgents);
    expect(runSpan('pipeline').attributes['costtrace.subtree.llm_calls']).toBe(10);
    // The researchers' own numbers, by hand (gpt-4o-mini $0.15 / $0.075 cached / $0.60 per MTok):
    // each researcher = 2 × (3000 in of which 1024 cached, 400 out)
    //   = 2 × (1976 × 0.15 + 1024 × 0.075 + 400 × 0.6) = 2 × (296.4 + 76.8 + 240) = 2 × 613.2 = 1226.4 µ$
    for (const r of ['researcher-1', 'researcher-2', 'researcher-3']) {
      expect(agent('pipeline', r).attributes['costtrace.subtree.cost_usd']).toBe(0.0012264);
    }
  });

  it('flags an unknown model as unpriced, with no cost number, and counts it up the tree', () => {
    const unknown = spans('pipeline').find((s) => s.attributes['gen_ai.request.model'] === 'acme-selfhosted-7b')!;
    expect(unknown.attributes['costtrace.pricing.status']).toBe('unpriced');
    expect(unknown.attributes).not.toHaveProperty('gen_ai.usage.cost.amount');
    expect(agent('pipeline', 'reviewer').attributes['costtrace.subtree.unpriced_calls']).toBe(1);
    expect(runSpan('pipeline').attributes['costtrace.subtree.unpriced_calls']).toBe(1);
    expect(agent('pipeline', 'writer').attributes['costtrace.subtree.unpriced_calls']).toBe(0);
  });

  it('prices the 5-agent claude-opus-4-7 fleet to the cent: $4.25, $5.00, $3.50, $4.50, $7.00, run $24.25', () => {
    // claude-opus-4-7: $5 input, $25 output per million tokens.
    // 600K × 5 + 50K × 25 = 3.00 + 1.25 = 4.25; 400K/120K = 2.00 + 3.00 = 5.00; 300K/80K = 1.50 + 2.00 = 3.50;
    // 450K/90K = 2.25 + 2.25 = 4.50; 500K/180K = 2.50 + 4.50 = 7.00.
    const costs = ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5'].map((a) => agent('fleet', a).attributes['costtrace.subtree.cost_usd']);
    expect(costs).toEqual([4.25, 5, 3.5, 4.5, 7]);
    expect(runSpan('fleet').attributes['costtrace.subtree.cost_usd']).toBe(24.25);
    expect(runSpan('fleet').attributes['costtrace.subtree.input_tokens']).toBe(2_250_000);
    expect(runSpan('fleet').attributes['costtrace.subtree.output_tokens']).toBe(520_000);
  });
});
