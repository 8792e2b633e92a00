// LangGraph with LangChain's ChatOpenAI under `node --import/--require @costtrace/register`, as a user
// runs it: a graph of two nodes (research, then write), each calling the model through LangChain
// against fake-llm. The only costtrace code in the apps is a run budget, and one `withAgent`.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import { scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

const inference = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);

/** What the test reads of each model-call span, in the order the graph made them (by response id). */
function calls(spans: ReceivedSpan[]) {
  return inference(spans)
    .sort((a, b) => String(a.attributes['gen_ai.response.id']).localeCompare(String(b.attributes['gen_ai.response.id'])))
    .map((s) => ({
      agent: s.attributes['gen_ai.agent.name'],
      outcome: s.attributes['costtrace.call.outcome'],
      pricing: s.attributes['costtrace.pricing.status'],
      costUsd: s.attributes['gen_ai.usage.cost.amount'],
    }));
}

const GRAPH_STATE = { topic: 'a pond', notes: 'ponds are still', draft: 'an old silent pond' };
// gpt-4.1-mini: $0.40 per million input tokens, $1.60 per million output tokens.
const RESEARCH = { agent: 'research', outcome: 'completed', pricing: 'priced', costUsd: 0.0000248 }; // 50 × 0.4 + 3 × 1.6
const WRITE = { outcome: 'completed', pricing: 'priced', costUsd: 0.0000344 }; // 70 × 0.4 + 4 × 1.6
const REFUSED = { outcome: 'budget_refused', pricing: undefined, costUsd: undefined };

describe.each(['esm', 'cjs'] as ModuleSystem[])('LangGraph 1.7 with @langchain/openai 1.5, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'langgraph' as const, mode };
  const scenarios = [
    'frameworks/langgraph-two-nodes',
    'frameworks/langgraph-with-agent',
    'frameworks/langgraph-budget-refused',
    'frameworks/langgraph-stream-abort',
    'frameworks/langgraph-stopped-in-flight',
  ];
  const run = useRun(servers, { ...opts, scenarios }, { concurrent: true });
  // The same app without costtrace (the preload does nothing when the SDK is disabled).
  const bare = useRun(servers, { ...opts, tag: 'bare', scenarios: ['frameworks/langgraph-two-nodes'], env: { OTEL_SDK_DISABLED: 'true' } }, { concurrent: true });
  const outcome = (name: string) => run().outcomes[`frameworks/langgraph-${name}`]!;
  const requests = (name: string) => servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix(opts)}frameworks/langgraph-${name}`);

  it('runs cleanly', () => expectCleanExit(run()));

  it('names each model call after the graph node that made it, each one priced span', () => {
    expect(outcome('two-nodes').result).toEqual(GRAPH_STATE);
    expect(calls(outcome('two-nodes').spans)).toEqual([RESEARCH, { agent: 'write', ...WRITE }]);
    expect(requests('two-nodes')).toHaveLength(2);
  });

  it('keeps the name the app gave a call with withAgent inside a node', () => {
    expect(outcome('with-agent').result).toEqual(GRAPH_STATE);
    expect(calls(outcome('with-agent').spans)).toEqual([RESEARCH, { agent: 'editor', ...WRITE }]);
  });

  it("refuses the first node's call over the run budget before sending it, and LangChain does not retry it", () => {
    // Its default handler (six retries with backoff), and an app's handler that retries anything.
    const refused = { ctor: 'BudgetExceededError', name: 'BudgetExceededError', depth: 0 };
    expect(outcome('budget-refused').result).toEqual({
      defaultRetries: { ctor: refused.ctor, name: refused.name, budget: { name: refused.name, action: 'refused', scope: 'invoke_workflow graph defaultRetries', depth: 0 } },
      retryAnything: { ctor: refused.ctor, name: refused.name, budget: { name: refused.name, action: 'refused', scope: 'invoke_workflow graph retryAnything', depth: 0 } },
    });
    expect(requests('budget-refused')).toEqual([]);
    // One attempt each: a retry would be one more refused call span.
    expect(calls(outcome('budget-refused').spans)).toEqual([
      { agent: 'research', ...REFUSED },
      { agent: 'research', ...REFUSED },
    ]);
  });

  it("aborts a node's slow model stream at the budget: the server sees the connection close, the graph ends in the budget error", async () => {
    expect(outcome('stream-abort').result).toEqual({
      stopped: true,
      ctor: 'BudgetExceededError',
      name: 'BudgetExceededError',
      budget: { name: 'BudgetExceededError', action: 'aborted', scope: 'invoke_workflow graph', depth: 0 },
    });
    const [request, ...more] = requests('stream-abort');
    expect(more).toEqual([]);
    const closed = await servers.fake().waitForClose(request!.id);
    expect([closed.clientClosedEarly, closed.completed]).toEqual([true, false]);
    const [call, ...others] = inference(outcome('stream-abort').spans);
    expect(others).toEqual([]);
    expect(call!.attributes).toMatchObject({ 'gen_ai.agent.name': 'research', 'costtrace.call.outcome': 'budget_aborted', 'error.type': 'BudgetExceededError' });
  });

  it("stops a node's call in flight when a parallel call crosses the budget: LangChain's AbortError keeps the budget error as its cause", () => {
    expect(outcome('stopped-in-flight').result).toEqual({
      // LangChain's own error; its cause is the SDK's abort error, whose cause is the budget error.
      slow: { ctor: 'Error', name: 'AbortError', budget: { name: 'BudgetExceededError', action: 'aborted', scope: 'invoke_workflow graph', depth: 2 } },
      big: { ok: 'big' },
    });
    // Sent once each; the stopped one closed by the client, not retried.
    expect(requests('stopped-in-flight').map((r) => [(r.body as { messages: Array<{ content: string }> }).messages[0]!.content, r.clientClosedEarly])).toEqual([
      ['slow', true],
      ['big', false],
    ]);
    expect(inference(outcome('stopped-in-flight').spans).map((s) => [s.attributes['gen_ai.agent.name'], s.attributes['costtrace.call.outcome']]).sort()).toEqual([
      ['research', 'budget_aborted'],
      ['research', 'completed'],
    ]);
  });

  it('gives the app exactly what it gets without costtrace', () => {
    expect(bare().outcomes['frameworks/langgraph-two-nodes']!.result).toEqual(outcome('two-nodes').result);
    expect(bare().stderr).toBe('');
  });
});
