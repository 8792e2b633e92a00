// Mastra 1.x runs as a user runs it: `node --import/--require @costtrace/register`, two Mastra
// agents (Agent names "Researcher" and "Writer") on @ai-sdk/openai and @ai-sdk/anthropic (fetch)
// calling fake-llm, no costtrace code in the app beyond a run budget. The calls are seen by the
// wire-level fetch instrumentation (fake-llm's URL is given as a base URL, as a user names a proxy)
// and named after the running agent by the Mastra adapter of @costtrace/instrumentation-frameworks.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, comparable, pricedAttrs, useRun, useServers, withBaseUrl, type ReceivedSpan } from './helpers/e2e';
import { nodeMajor, scenarioPrefix, type Fixture, type ModuleSystem } from './helpers/scenario-runner';

const FETCH_SCOPE = '@costtrace/instrumentation-fetch';
const AGENTS = 'frameworks/mastra-agents';
const REFUSED = 'frameworks/mastra-budget-refused';
const ABORTED = 'frameworks/mastra-stream-aborted';

const calls = (spans: ReceivedSpan[]) => spans.filter((s) => s.scope === FETCH_SCOPE);

// Mastra's own anonymous usage telemetry is off: tests reach nothing but loopback.
const MASTRA_ENV = { MASTRA_TELEMETRY_DISABLED: '1' };

// @mastra/core 1.x declares engines node >= 22.13: it runs on the Node 26 leg and is skipped on Node 20.
describe.each(['esm', 'cjs'] as ModuleSystem[])('Mastra 1.x, %s', (mode) => {
  const fixture: Fixture = 'mastra';
  describe.skipIf(nodeMajor < 22)('(needs Node >= 22.13: skipped on Node 20)', () => {
    const servers = useServers();
    const agents = useRun(servers, withBaseUrl(servers, { fixture, mode, scenarios: [AGENTS] }, MASTRA_ENV));
    const baseline = useRun(servers, withBaseUrl(servers, { fixture, mode, scenarios: [AGENTS], tag: 'baseline' }, { ...MASTRA_ENV, OTEL_SDK_DISABLED: 'true' }));
    const budgets = useRun(servers, withBaseUrl(servers, { fixture, mode, scenarios: [REFUSED, ABORTED], tag: 'budgets' }, MASTRA_ENV));
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

    it('prices each model call once, attributed to the Mastra agent running it', () => {
      const spans = agents().outcomes[AGENTS]!.spans;
      expect(requests(AGENTS)).toHaveLength(2);
      const own = calls(spans);
      expect(own.map((s) => s.attributes['gen_ai.agent.name'])).toEqual(['Researcher', 'Writer']);
      expect(spans.filter((s) => s.attributes['costtrace.pricing.status'] !== undefined)).toEqual(own);
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
    });

    it('refuses a call over the run budget before sending it, and Mastra does not retry it', () => {
      const outcome = budgets().outcomes[REFUSED]!;
      expect(requests(REFUSED, 'budgets')).toEqual([]);
      // Mastra rethrows the model call's error as it is; its mark (an AI SDK APICallError that is not
      // retryable) keeps Mastra's retry loop from trying again.
      expect(outcome.result).toEqual({ error: [{ name: 'BudgetExceededError', ctor: 'BudgetExceededError', budget: true, action: 'refused', retryable: false }] });
      const refused = calls(outcome.spans);
      expect(refused.map((s) => [s.attributes['costtrace.call.outcome'], s.attributes['gen_ai.agent.name']])).toEqual([['budget_refused', 'Researcher']]);
    });

    it('stops a slow stream past the run budget, and fake-llm sees the connection close', async () => {
      const outcome = budgets().outcomes[ABORTED]!;
      const [request] = requests(ABORTED, 'budgets');
      expect(requests(ABORTED, 'budgets')).toHaveLength(1);
      const closed = await servers.fake().waitForClose(request!.id);
      expect([closed.clientClosedEarly, closed.completed]).toEqual([true, false]);
      // Mastra ends the stream with finishReason `error` and keeps the error on the result: the AI
      // SDK provider's APICallError (not retryable), whose cause is costtrace's error.
      expect(outcome.result).toEqual({
        stopped: true,
        finishReason: 'error',
        error: [
          { name: 'AI_APICallError', ctor: 'APICallError', budget: false, retryable: false },
          { name: 'BudgetExceededError', ctor: 'BudgetExceededError', budget: true, action: 'aborted', retryable: false },
        ],
      });
      const [call] = calls(outcome.spans);
      expect(call!.attributes).toMatchObject({ 'costtrace.call.outcome': 'budget_aborted', 'gen_ai.agent.name': 'Researcher', 'error.type': 'BudgetExceededError' });
    });
  });
});
