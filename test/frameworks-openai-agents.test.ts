// The OpenAI Agents SDK under `node --import/--require @costtrace/register`, as a user runs it: a
// planner agent that hands off to a writer, on the app's own OpenAI client against fake-llm. The only
// costtrace code in the apps is a run budget. @openai/agents 0.20 depends on openai 7 (Node >= 22);
// 0.14.3 is the last line on openai 6, which runs on Node 20: both are tested where they run.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import { nodeMajor, scenarioPrefix, type Fixture, type ModuleSystem } from './helpers/scenario-runner';

const inference = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);
const byAgent = (a: ReceivedSpan, b: ReceivedSpan) => String(a.attributes['gen_ai.agent.name']).localeCompare(String(b.attributes['gen_ai.agent.name']));

/** What the test reads of each model-call span: who made it, how it ended, what it cost. */
function calls(spans: ReceivedSpan[]) {
  return inference(spans)
    .sort(byAgent)
    .map((s) => ({
      agent: s.attributes['gen_ai.agent.name'],
      outcome: s.attributes['costtrace.call.outcome'],
      responseId: s.attributes['gen_ai.response.id'],
      pricing: s.attributes['costtrace.pricing.status'],
      costUsd: s.attributes['gen_ai.usage.cost.amount'],
    }));
}

// gpt-4.1-mini: $0.40 per million input tokens, $1.60 per million output tokens.
const HANDOFF_CALLS = [
  // 60 × 0.4 + 12 × 1.6 per million: the call that answered with the handoff.
  { agent: 'planner', outcome: 'completed', responseId: 'resp_handoff', pricing: 'priced', costUsd: 0.0000432 },
  // 80 × 0.4 + 5 × 1.6 per million
  { agent: 'writer', outcome: 'completed', responseId: expect.stringMatching(/^resp_fake\d+$/), pricing: 'priced', costUsd: 0.00004 },
];
const HANDOFF_RESULT = { finalOutput: 'an old silent pond', lastAgent: 'writer' };

const FIXTURES: Array<{ fixture: Fixture; runs: boolean; why: string }> = [
  { fixture: 'openai-agents-openai6', runs: true, why: '@openai/agents 0.14.3 on openai 6' },
  { fixture: 'openai-agents', runs: nodeMajor >= 22, why: '@openai/agents 0.20.0 on openai 7, which needs Node >= 22 (skipped on older Node)' },
];

for (const { fixture, runs, why } of FIXTURES) {
  describe.skipIf(!runs).each(['esm', 'cjs'] as ModuleSystem[])(`OpenAI Agents SDK: ${why}, %s`, (mode) => {
    const servers = useServers();
    const opts = { fixture, mode };
    const noTracing = { OPENAI_AGENTS_DISABLE_TRACING: '1' };
    const scenarios = [
      'frameworks/openai-agents-handoff',
      'frameworks/openai-agents-handoff-stream',
      'frameworks/openai-agents-with-agent',
      'frameworks/openai-agents-budget-refused',
      'frameworks/openai-agents-stream-abort',
      'frameworks/openai-agents-stopped-in-flight',
    ];
    const run = useRun(servers, { ...opts, scenarios, env: noTracing }, { concurrent: true });
    const traced = useRun(servers, { ...opts, tag: 'sdk-tracing', scenarios: ['frameworks/openai-agents-own-tracing'] }, { concurrent: true });
    // The same apps without costtrace (the preload does nothing when the SDK is disabled).
    const bare = useRun(servers, { ...opts, tag: 'bare', scenarios: ['frameworks/openai-agents-handoff', 'frameworks/openai-agents-handoff-stream'], env: { ...noTracing, OTEL_SDK_DISABLED: 'true' } }, { concurrent: true });
    const bareTraced = useRun(servers, { ...opts, tag: 'bare-sdk-tracing', scenarios: ['frameworks/openai-agents-own-tracing'], env: { OTEL_SDK_DISABLED: 'true' } }, { concurrent: true });
    const outcome = (name: string) => run().outcomes[`frameworks/openai-agents-${name}`]!;
    const requests = (name: string, tag?: string) =>
      servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix({ ...opts, tag })}frameworks/openai-agents-${name}`);

    it('runs cleanly, with the SDK tracing off and on', () => {
      expectCleanExit(run());
      expectCleanExit(traced());
    });

    it('names each model call after the agent that made it, the writer after the handoff, each one priced span', () => {
      expect(outcome('handoff').result).toEqual({ ...HANDOFF_RESULT, items: ['handoff_call_item', 'handoff_output_item', 'message_output_item'] });
      expect(calls(outcome('handoff').spans)).toEqual(HANDOFF_CALLS);
      expect(requests('handoff')).toHaveLength(2);
    });

    it('names the calls of a streamed run the same way, the streamed handoff included', () => {
      expect(outcome('handoff-stream').result).toEqual({ text: 'an old silent pond', ...HANDOFF_RESULT });
      expect(calls(outcome('handoff-stream').spans)).toEqual(HANDOFF_CALLS);
      expect(requests('handoff-stream').map((r) => r.stream)).toEqual([true, true]);
    });

    it('keeps the name the app gave the run with withAgent', () => {
      expect(outcome('with-agent').result).toEqual(HANDOFF_RESULT);
      expect(calls(outcome('with-agent').spans).map((c) => c.agent)).toEqual(['haiku-team', 'haiku-team']);
    });

    it("names them from the SDK's real spans too (tracing on, exported to the app's own processor, which still gets them)", () => {
      const own = traced().outcomes['frameworks/openai-agents-own-tracing']!;
      expect(own.result).toEqual({ ...HANDOFF_RESULT, appTraceSpans: ['handoff writer', 'agent planner', 'agent writer'] });
      expect(calls(own.spans)).toEqual(HANDOFF_CALLS);
    });

    it('refuses the first call of a run over budget before sending it, and the runner does not retry it', () => {
      // The app's retry policy says yes to everything; the refusal reaches it as itself, once.
      expect(outcome('budget-refused').result).toEqual({
        ctor: 'BudgetExceededError',
        name: 'BudgetExceededError',
        budget: { name: 'BudgetExceededError', action: 'refused', scope: 'invoke_workflow haiku', depth: 0 },
      });
      expect(requests('budget-refused')).toEqual([]);
      expect(calls(outcome('budget-refused').spans)).toEqual([
        { agent: 'planner', outcome: 'budget_refused', responseId: undefined, pricing: undefined, costUsd: undefined },
      ]);
    });

    it("aborts a slow streamed run at the budget: the server sees the connection close, the app's loop ends in the budget error", async () => {
      expect(outcome('stream-abort').result).toEqual({
        stopped: true,
        ctor: 'BudgetExceededError',
        name: 'BudgetExceededError',
        budget: { name: 'BudgetExceededError', action: 'aborted', scope: 'invoke_workflow haiku', depth: 0 },
      });
      const [request, ...more] = requests('stream-abort');
      expect(more).toEqual([]);
      const closed = await servers.fake().waitForClose(request!.id);
      expect([closed.clientClosedEarly, closed.completed]).toEqual([true, false]);
      const [call] = inference(outcome('stream-abort').spans);
      expect(call!.attributes).toMatchObject({ 'gen_ai.agent.name': 'planner', 'costtrace.call.outcome': 'budget_aborted', 'error.type': 'BudgetExceededError' });
    });

    it("stops a run's call in flight when a parallel run's call crosses the budget: the SDK's abort error reaches the app with the budget error as cause", () => {
      expect(outcome('stopped-in-flight').result).toEqual({
        slow: { ctor: 'APIUserAbortError', name: 'Error', budget: { name: 'BudgetExceededError', action: 'aborted', scope: 'invoke_workflow haiku', depth: 1 } },
        big: { ok: 'big' },
      });
      // Sent once each; the stopped one closed by the client, not retried.
      expect(requests('stopped-in-flight').map((r) => [(r.body as { input: Array<{ content: string }> }).input[0]!.content, r.clientClosedEarly])).toEqual([
        ['slow', true],
        ['big', false],
      ]);
      expect(inference(outcome('stopped-in-flight').spans).map((c) => [c.attributes['gen_ai.agent.name'], c.attributes['costtrace.call.outcome']]).sort()).toEqual([
        ['planner', 'budget_aborted'],
        ['planner', 'completed'],
      ]);
    });

    it('gives the app exactly what it gets without costtrace', () => {
      expect(bare().outcomes['frameworks/openai-agents-handoff']!.result).toEqual(outcome('handoff').result);
      expect(bare().outcomes['frameworks/openai-agents-handoff-stream']!.result).toEqual(outcome('handoff-stream').result);
      expect(bareTraced().outcomes['frameworks/openai-agents-own-tracing']!.result).toEqual(traced().outcomes['frameworks/openai-agents-own-tracing']!.result);
      expect([bare().stderr, bareTraced().stderr]).toEqual(['', '']);
    });
  });
}
