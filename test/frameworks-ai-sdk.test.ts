// The Vercel AI SDK 6 and 7 run as a user runs them: `node --import/--require @costtrace/register`,
// the app's own agents (ToolLoopAgent, named by their telemetry functionId) calling fake-llm through
// @ai-sdk/openai and @ai-sdk/anthropic (fetch), no costtrace code in the app beyond a run budget.
// Model calls are seen by the wire-level fetch instrumentation (fake-llm's URL is given as a base
// URL, as a user names a proxy); the AI SDK's own call spans are its duplicates.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, comparable, pricedAttrs, useRun, useServers, withBaseUrl, type ReceivedSpan } from './helpers/e2e';
import { nodeMajor, scenarioPrefix, type Fixture, type ModuleSystem } from './helpers/scenario-runner';

const FETCH_SCOPE = '@costtrace/instrumentation-fetch';
const AGENTS = 'frameworks/ai-sdk-agents';
const REFUSED = 'frameworks/ai-sdk-budget-refused';
const ABORTED = 'frameworks/ai-sdk-stream-aborted';
const CHANNEL = 'frameworks/ai-sdk-channel-agents';

const priced = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['costtrace.pricing.status'] === 'priced');
const calls = (spans: ReceivedSpan[]) => spans.filter((s) => s.scope === FETCH_SCOPE);

// AI SDK 7 (`ai@7`, `@ai-sdk/*@4`, `@ai-sdk/otel`) declares engines node >= 22: it runs on the
// Node 26 leg and is skipped on Node 20.
const LEGS: Array<[Fixture, ModuleSystem]> = [
  ['ai-sdk-6', 'esm'],
  ['ai-sdk-6', 'cjs'],
  ['ai-sdk-7', 'esm'],
  ['ai-sdk-7', 'cjs'],
];

describe.each(LEGS)('Vercel AI SDK, %s, %s', (fixture, mode) => {
  const seven = fixture === 'ai-sdk-7';
  describe.skipIf(seven && nodeMajor < 22)(seven ? '(needs Node >= 22: skipped on Node 20)' : 'on every Node', () => {
    const servers = useServers();
    const agents = useRun(servers, withBaseUrl(servers, { fixture, mode, scenarios: [AGENTS] }));
    const baseline = useRun(servers, withBaseUrl(servers, { fixture, mode, scenarios: [AGENTS], tag: 'baseline' }, { OTEL_SDK_DISABLED: 'true' }));
    const budgets = useRun(servers, withBaseUrl(servers, { fixture, mode, scenarios: [REFUSED, ABORTED], tag: 'budgets' }));
    const requests = (name: string, tag?: string) =>
      servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix({ fixture, mode, tag })}${name}`);

    it('runs each app cleanly, printing nothing', () => {
      for (const run of [agents(), baseline(), budgets()]) expectCleanExit(run);
    });

    it('leaves the app seeing exactly what it sees without costtrace', () => {
      const seen = agents().outcomes[AGENTS]!;
      const without = baseline().outcomes[AGENTS]!;
      expect(without.spans).toEqual([]);
      expect(comparable(seen.result)).toEqual(comparable(without.result));
      expect(seen.result).toEqual({
        found: { parts: 'three facts found', text: 'three facts found', finishReason: 'stop', inputTokens: 1000, outputTokens: 500 },
        draft: { text: 'a short draft', finishReason: 'stop', inputTokens: 2000, outputTokens: 300 },
      });
    });

    it('prices each model call once, on its wire-level span, attributed to the agent its functionId names', () => {
      const spans = agents().outcomes[AGENTS]!.spans;
      expect(requests(AGENTS)).toHaveLength(2);
      const own = calls(spans);
      expect(own.map((s) => s.attributes['gen_ai.agent.name'])).toEqual(['researcher', 'writer']);
      expect(priced(spans)).toEqual(own);
      // gpt-4o-mini: 1000 × $0.15 + 500 × $0.60 per million = $0.00015 + $0.0003
      expect(own[0]!.attributes).toMatchObject({
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'costtrace.call.outcome': 'completed',
        ...pricedAttrs('openai', 'gpt-4o-mini', { total: 0.00045, input: 0.00015, output: 0.0003 }, [1000, 500]),
      });
      // claude-sonnet-4-5: 2000 × $3 + 300 × $15 per million = $0.006 + $0.0045
      expect(own[1]!.attributes).toMatchObject({
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'costtrace.call.outcome': 'completed',
        ...pricedAttrs('anthropic', 'claude-sonnet-4-5', { total: 0.0105, input: 0.006, output: 0.0045 }, [2000, 300]),
      });
      // The AI SDK's own record of each call (6: its doStream/doGenerate step; 7: @ai-sdk/otel's
      // chat span) encloses ours and is marked its duplicate, never priced.
      const theirs = spans.filter((s) => s.scope !== FETCH_SCOPE && s.attributes['costtrace.pricing.status'] !== undefined);
      expect(theirs.map((s) => s.attributes['costtrace.pricing.status'])).toEqual(['duplicate', 'duplicate']);
      for (const [i, s] of theirs.entries()) expect(own[i]!.parentSpanId).toBe(s.spanId);
    });

    it("rolls each agent's cost onto the AI SDK's agent span", () => {
      const spans = agents().outcomes[AGENTS]!.spans;
      const agentSpans = seven
        ? spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent')
        : spans.filter((s) => s.name === 'ai.streamText' || s.name === 'ai.generateText');
      expect(agentSpans.map((s) => [s.attributes[seven ? 'gen_ai.agent.name' : 'ai.telemetry.functionId'], s.attributes['costtrace.subtree.cost_usd']])).toEqual([
        ['researcher', 0.00045],
        ['writer', 0.0105],
      ]);
    });

    if (seven) {
      const channel = useRun(servers, withBaseUrl(servers, { fixture, mode, scenarios: [CHANNEL], tag: 'channel' }));

      it("names each call after its functionId through the AI SDK's tracing channel when no telemetry integration records it", () => {
        expectCleanExit(channel());
        const outcome = channel().outcomes[CHANNEL]!;
        expect(outcome.result).toEqual(agents().outcomes[AGENTS]!.result);
        // No AI SDK span at all: only the run's root and costtrace's own call spans.
        expect(outcome.spans.filter((s) => s.scope !== FETCH_SCOPE)).toEqual([]);
        const own = calls(outcome.spans);
        expect(own.map((s) => [s.attributes['gen_ai.agent.name'], s.attributes['costtrace.pricing.status'], s.attributes['gen_ai.usage.cost.amount']])).toEqual([
          ['researcher', 'priced', 0.00045],
          ['writer', 'priced', 0.0105],
        ]);
      });
    }

    it('refuses a call over the run budget before sending it, and the AI SDK does not retry it', () => {
      const outcome = budgets().outcomes[REFUSED]!;
      expect(requests(REFUSED, 'budgets')).toEqual([]);
      // The app gets costtrace's error itself (the AI SDK retries only its own retryable APICallError).
      expect(outcome.result).toEqual({ error: [{ name: 'BudgetExceededError', ctor: 'BudgetExceededError', budget: true, action: 'refused', retryable: false }] });
      const refused = calls(outcome.spans);
      expect(refused.map((s) => [s.attributes['costtrace.call.outcome'], s.attributes['gen_ai.agent.name']])).toEqual([['budget_refused', 'researcher']]);
    });

    it('stops a slow stream past the run budget, and fake-llm sees the connection close', async () => {
      const outcome = budgets().outcomes[ABORTED]!;
      const [request] = requests(ABORTED, 'budgets');
      expect(requests(ABORTED, 'budgets')).toHaveLength(1);
      const closed = await servers.fake().waitForClose(request!.id);
      expect([closed.clientClosedEarly, closed.completed]).toEqual([true, false]);
      // The app's loop over the full stream throws the AI SDK's own APICallError (not retryable),
      // whose cause is costtrace's error; nothing goes to onError.
      expect(outcome.result).toEqual({
        stopped: true,
        errors: [],
        thrown: [
          { name: 'AI_APICallError', ctor: 'APICallError', budget: false, retryable: false },
          { name: 'BudgetExceededError', ctor: 'BudgetExceededError', budget: true, action: 'aborted', retryable: false },
        ],
      });
      const [call] = calls(outcome.spans);
      expect(call!.attributes).toMatchObject({ 'costtrace.call.outcome': 'budget_aborted', 'gen_ai.agent.name': 'writer', 'error.type': 'BudgetExceededError' });
    });
  });
});
