// Out of process: model calls sent with plain `fetch` (as the Vercel AI SDK, Mastra and
// `@google/genai` send them) under `node --import/--require @costtrace/register`, against
// fake-llm, spans over OTLP/HTTP. fake-llm's loopback URL is a base URL by env, as a user
// names a proxy or a self-hosted server.
import { describe, expect, it } from 'vitest';
import { attrs, expectCleanExit, itBehavesAsWithoutInstrumentation, onlySpan, pricedAttrs, useRun, useServers, withBaseUrl } from './helpers/e2e';
import { scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

const SCOPE = '@costtrace/instrumentation-fetch';
const SCENARIOS = ['openai-chat-stream', 'openai-chat-json', 'anthropic-stream'].map((s) => `fetch/${s}`);
const BUDGET_SCENARIOS = ['budget-refuses', 'slow-stream-aborted'].map((s) => `fetch/${s}`);

describe.each(['esm', 'cjs'] as ModuleSystem[])('fetch instrumentation: plain fetch, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'google-genai' as const, mode };
  const run = useRun(servers, withBaseUrl(servers, { ...opts, scenarios: SCENARIOS }));
  const budgetRun = useRun(servers, withBaseUrl(servers, { ...opts, tag: 'budget', scenarios: BUDGET_SCENARIOS }));
  const offRun = useRun(servers, withBaseUrl(servers, { ...opts, tag: 'off', scenarios: ['fetch/openai-chat-json'] }, { COSTTRACE_FETCH_ENABLED: 'false' }));
  const outcome = (name: string) => run().outcomes[`fetch/${name}`]!;
  const span = (name: string) => onlySpan(outcome(name).spans, SCOPE);
  const requests = (name: string, tag = '') =>
    servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix({ ...opts, tag })}fetch/${name}`);

  itBehavesAsWithoutInstrumentation(servers, { ...opts, scenarios: SCENARIOS }, run);

  it('records a JSON chat completion with its exact usage and price', () => {
    expect(attrs(span('openai-chat-json'))).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 50,
      'server.address': '127.0.0.1',
      'gen_ai.response.id': expect.stringMatching(/^chatcmpl-/),
      'gen_ai.response.model': 'gpt-4o-mini',
      'openai.response.service_tier': 'default',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 64,
      'gen_ai.usage.reasoning.output_tokens': 0,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
      // 56 × 0.15 + 64 × 0.075 + 3 × 0.60 = 8.4 + 4.8 + 1.8 = 15 µ$
      ...pricedAttrs('openai', 'gpt-4o-mini', { total: 0.000015, input: 0.0000084, cacheRead: 0.0000048, output: 0.0000018 }, [120, 3]),
    });
  });

  it('gets exact usage for a chat stream the caller did not ask usage for, and the caller sees no usage chunk', () => {
    const result = outcome('openai-chat-stream').result as { events: Array<{ data: unknown }> };
    expect(JSON.stringify(result.events)).not.toContain('usage');
    expect(requests('openai-chat-stream')[0]!.body).toMatchObject({ stream_options: { include_usage: true } });
    expect(span('openai-chat-stream').attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 5,
      'costtrace.call.outcome': 'completed',
      'costtrace.pricing.status': 'priced',
    });
  });

  it('reads an Anthropic stream as it passes', () => {
    expect(span('anthropic-stream').attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'costtrace.call.outcome': 'completed',
      'costtrace.pricing.status': 'priced',
    });
  });

  it('refuses a call a run budget cannot cover before anything is sent', () => {
    expectCleanExit(budgetRun());
    const refused = budgetRun().outcomes['fetch/budget-refuses']!;
    expect(refused.result).toEqual({ error: { name: 'BudgetExceededError', budget: true, action: 'refused' } });
    expect(requests('budget-refuses', 'budget')).toEqual([]);
    expect(onlySpan(refused.spans, SCOPE).attributes).toMatchObject({ 'costtrace.call.outcome': 'budget_refused', 'error.type': 'BudgetExceededError' });
  });

  it('aborts a slow stream that passes the run budget: the pending read rejects and the server sees the close', async () => {
    const aborted = budgetRun().outcomes['fetch/slow-stream-aborted']!;
    expect(aborted.result).toEqual({ stopped: true, error: { name: 'BudgetExceededError', budget: true, action: 'aborted' } });
    const [request] = requests('slow-stream-aborted', 'budget');
    expect((await servers.fake().waitForClose(request!.id)).clientClosedEarly).toBe(true);
    expect(onlySpan(aborted.spans, SCOPE).attributes).toMatchObject({ 'costtrace.call.outcome': 'budget_aborted', 'error.type': 'BudgetExceededError' });
  });

  it('is off with COSTTRACE_FETCH_ENABLED=false', () => {
    expectCleanExit(offRun());
    expect(offRun().outcomes['fetch/openai-chat-json']!.spans).toEqual([]);
  });
});

const GENAI_SCENARIOS = ['genai-generate', 'genai-stream'].map((s) => `fetch/${s}`);

describe.each(['esm', 'cjs'] as ModuleSystem[])('fetch instrumentation: @google/genai 2.32.0, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'google-genai' as const, mode };
  const run = useRun(servers, withBaseUrl(servers, { ...opts, scenarios: GENAI_SCENARIOS }));
  const budgetRun = useRun(
    servers,
    withBaseUrl(servers, { ...opts, tag: 'budget', scenarios: ['fetch/genai-budget-refuses', 'fetch/genai-slow-stream-aborted'] }),
  );
  const outcome = (name: string) => run().outcomes[`fetch/${name}`]!;
  const span = (name: string) => onlySpan(outcome(name).spans, SCOPE);

  itBehavesAsWithoutInstrumentation(servers, { ...opts, scenarios: GENAI_SCENARIOS }, run);

  it('sends with the global fetch: one priced span per generateContent, thinking billed as output', () => {
    expect(attrs(span('genai-generate'))).toEqual({
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.5-flash',
      'gen_ai.request.max_tokens': 200,
      'gen_ai.request.temperature': 0.5,
      'server.address': '127.0.0.1',
      'gen_ai.response.id': expect.stringMatching(/^fake-gemini-/),
      'gen_ai.response.model': 'gemini-2.5-flash',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 23,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 20,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
      // gemini-2.5-flash: $0.30 input, $0.03 cached input, $2.50 output per million (thinking is output):
      // 20 × 0.30 + 100 × 0.03 + 23 × 2.50 = 6 + 3 + 57.5 = 66.5 µ$
      ...pricedAttrs('google', 'gemini-2.5-flash', { total: 0.0000665, input: 0.000006, cacheRead: 0.000003, output: 0.0000575 }, [120, 23]),
    });
  });

  it('reads a generateContentStream as it passes', () => {
    expect(span('genai-stream').attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.response.finish_reasons': ['stop'],
      'costtrace.call.outcome': 'completed',
      'costtrace.pricing.status': 'priced',
    });
    expect(span('genai-stream').attributes['costtrace.usage.estimated']).toBeUndefined();
  });

  it('refuses a call a run budget cannot cover: the app gets the BudgetExceededError, nothing is sent', () => {
    expectCleanExit(budgetRun());
    expect(budgetRun().outcomes['fetch/genai-budget-refuses']!.result).toEqual({ error: { name: 'BudgetExceededError', budget: true, action: 'refused' } });
    expect(servers.fake().requests.filter((r) => r.scenario?.includes('genai-budget-refuses'))).toEqual([]);
  });

  it('aborts a slow generateContentStream that passes the run budget: the iteration rejects and the server sees the close', async () => {
    const aborted = budgetRun().outcomes['fetch/genai-slow-stream-aborted']!;
    expect(aborted.result).toEqual({ stopped: true, error: { name: 'BudgetExceededError', budget: true, action: 'aborted' } });
    const [request] = servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix({ ...opts, tag: 'budget' })}fetch/genai-slow-stream-aborted`);
    expect((await servers.fake().waitForClose(request!.id)).clientClosedEarly).toBe(true);
    expect(onlySpan(aborted.spans, SCOPE).attributes).toMatchObject({ 'costtrace.call.outcome': 'budget_aborted', 'error.type': 'BudgetExceededError' });
  });
});

// The openai SDK (>= 5) sends with the global fetch from inside costtrace's patched `create`: with the
// fake's URL a base URL of the fetch instrumentation too, each call must still be one span, the SDK's.
describe.each(['esm', 'cjs'] as ModuleSystem[])('fetch instrumentation under the patched openai 6, %s', (mode) => {
  const servers = useServers();
  const run = useRun(servers, withBaseUrl(servers, { fixture: 'openai-v6' as const, mode, scenarios: ['openai/chat-stream', 'openai/chat-basic'] }));

  it('leaves each call to the SDK-level span: one span per call, none from fetch', () => {
    expectCleanExit(run());
    for (const name of ['openai/chat-stream', 'openai/chat-basic']) {
      const spans = run().outcomes[name]!.spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);
      expect(spans.map((s) => [s.scope, s.attributes['costtrace.call.outcome']])).toEqual([['@costtrace/instrumentation-openai', 'completed']]);
    }
  });
});
