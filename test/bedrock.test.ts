// Out of process: the real @aws-sdk/client-bedrock-runtime (3.1164.0, over HTTP/2 as it sends by
// default) against fake-llm, under `node --import/--require @costtrace/register`, as a user runs it.
import { describe, expect, it } from 'vitest';
import { comparable, expectCleanExit, onlySpan, pricedAttrs, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import { scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

const SCOPE = '@costtrace/instrumentation-bedrock';
const CALLS = [
  'converse', 'converse-stream', 'invoke-anthropic', 'invoke-stream-anthropic',
  'invoke-llama', 'invoke-mistral', 'invoke-stream-mistral', 'invoke-stream-nova',
].map((s) => `bedrock/${s}`);
const BUDGETS = ['bedrock/budget-refuses', 'bedrock/stream-aborted'];

// What the app's environment holds. Dummy credentials and region: the SDK's credential chain stops at
// the environment, so it never asks instance metadata (and nothing leaves loopback).
// AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED is the SDK's own switch (read by @aws-sdk/core's
// emitWarningIfUnsupportedVersion) for the NodeVersionSupportWarning it prints once on Node < 22
// ("versions published after the first week of January 2027 will require node >=22"): a notice
// about future SDK releases, not about costtrace; CI fails on anything printed.
const awsEnv = (endpoint: string) => ({
  AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  BEDROCK_ENDPOINT: endpoint,
});

describe.each(['esm', 'cjs'] as ModuleSystem[])('bedrock instrumentation, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'bedrock' as const, mode };
  let endpoint = '';
  const env = () => awsEnv((endpoint ||= servers.fake().bedrockEndpoint));
  const run = useRun(servers, { ...opts, scenarios: [...CALLS, ...BUDGETS], get env() { return env(); } });
  // The same calls with tracing off: what the app sees without costtrace.
  const baseline = useRun(servers, { ...opts, scenarios: CALLS, tag: 'baseline', get env() { return { ...env(), OTEL_SDK_DISABLED: 'true' }; } });
  const outcome = (name: string) => run().outcomes[`bedrock/${name}`]!;
  const span = (name: string) => onlySpan(outcome(name).spans, SCOPE);
  const requests = (name: string) => servers.fake().requests.filter((r) => r.scenario === `${scenarioPrefix(opts)}bedrock/${name}`);

  it('runs every scenario and exits cleanly, printing nothing', () => {
    expectCleanExit(run());
    expectCleanExit(baseline());
  });

  it.each(CALLS)('%s: the app sees exactly what it sees without instrumentation', (name) => {
    const seen = run().outcomes[name]!;
    const without = baseline().outcomes[name]!;
    expect(without.spans).toEqual([]);
    expect(seen.error).toBeUndefined();
    expect(comparable(seen.result)).toEqual(comparable(without.result));
  });

  // Request attributes, then response and usage attributes, then the outcome and cost: whole maps.
  const chat = (model: string, extra: Record<string, unknown>) => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'aws.bedrock',
    'gen_ai.request.model': model,
    'server.address': '127.0.0.1',
    'server.port': expect.any(Number),
    ...extra,
  });
  const used = (input: number, output: number, extra: Record<string, unknown> = {}) => ({
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': output,
    ...extra,
  });
  const completed = (reason: string) => ({ 'gen_ai.response.finish_reasons': [reason], 'costtrace.call.outcome': 'completed' });

  it.each([
    [
      'converse',
      // regional Claude 3.5 Haiku: $0.80 input, $0.08 cache read, $4 output per million.
      // 800 × 0.8 + 400 × 0.08 + 20 × 4 = 640 + 32 + 80 µ$ = $0.000752
      chat('us.anthropic.claude-3-5-haiku-20241022-v1:0', { 'gen_ai.request.max_tokens': 100 }),
      used(1_200, 20, { 'gen_ai.usage.cache_read.input_tokens': 400 }),
      completed('end_turn'),
      pricedAttrs('aws', 'regional.anthropic.claude-3-5-haiku-20241022-v1:0', { total: 0.000752, input: 0.00064, output: 0.00008, cacheRead: 0.000032 }, [1_200, 20]),
    ],
    [
      'converse-stream',
      // Nova Lite: $0.06 input, $0.24 output per million. 500 × 0.06 + 3 × 0.24 = 30 + 0.72 µ$
      chat('amazon.nova-lite-v1:0', { 'gen_ai.request.stream': true }),
      used(500, 3),
      completed('end_turn'),
      pricedAttrs('aws', 'amazon.nova-lite-v1:0', { total: 0.00003072, input: 0.00003, output: 7.2e-7 }, [500, 3]),
    ],
    [
      'invoke-anthropic',
      // 500 × 0.8 + 1,500 cache writes × 1 + 50 × 4 = 400 + 1,500 + 200 µ$ = $0.0021
      chat('anthropic.claude-3-5-haiku-20241022-v1:0', { 'gen_ai.request.max_tokens': 200 }),
      {
        'gen_ai.response.id': 'msg_bdrk_01',
        ...used(2_000, 50, { 'gen_ai.usage.cache_read.input_tokens': 0, 'gen_ai.usage.cache_write.input_tokens': 1_500 }),
      },
      completed('end_turn'),
      pricedAttrs('aws', 'regional.anthropic.claude-3-5-haiku-20241022-v1:0', { total: 0.0021, input: 0.0004, output: 0.0002, cacheWrite: 0.0015 }, [2_000, 50]),
    ],
    [
      'invoke-stream-anthropic',
      // Priced by the profile called, not the body's `model` (claude-haiku-4-5-20251001, whose regional
      // rate is 10% more). global Claude Haiku 4.5: $1 input, $0.10 cache read, $5 output. 100 × 1 + 200 × 0.1 + 4 × 5 = 100 + 20 + 20 µ$
      chat('global.anthropic.claude-haiku-4-5-20251001-v1:0', { 'gen_ai.request.max_tokens': 64, 'gen_ai.request.stream': true }),
      {
        'gen_ai.response.id': 'msg_bdrk_02',
        ...used(300, 4, { 'gen_ai.usage.cache_read.input_tokens': 200, 'gen_ai.usage.cache_write.input_tokens': 0 }),
      },
      completed('end_turn'),
      pricedAttrs('aws', 'global.anthropic.claude-haiku-4-5-20251001-v1:0', { total: 0.00014, input: 0.0001, output: 0.00002, cacheRead: 0.00002 }, [300, 4]),
    ],
    [
      'invoke-llama',
      // Llama 3.1 8B: $0.22 per million either way. 40 × 0.22 + 3 × 0.22 = 8.8 + 0.66 µ$
      chat('meta.llama3-1-8b-instruct-v1:0', { 'gen_ai.request.max_tokens': 128, 'gen_ai.request.temperature': 0.5 }),
      used(40, 3),
      completed('stop'),
      pricedAttrs('aws', 'meta.llama3-1-8b-instruct-v1:0', { total: 0.00000946, input: 0.0000088, output: 6.6e-7 }, [40, 3]),
    ],
    [
      'invoke-mistral',
      // Usage from the x-amzn-bedrock-*-token-count headers. Mistral Large 2402: $4 / $12. 70 × 4 + 9 × 12 = 280 + 108 µ$
      chat('mistral.mistral-large-2402-v1:0', { 'gen_ai.request.max_tokens': 50 }),
      used(70, 9),
      completed('stop'),
      pricedAttrs('aws', 'mistral.mistral-large-2402-v1:0', { total: 0.000388, input: 0.00028, output: 0.000108 }, [70, 9]),
    ],
    [
      'invoke-stream-mistral',
      // Usage from the last chunk's invocation metrics. Mistral 7B: $0.15 / $0.20. 25 × 0.15 + 6 × 0.2 = 3.75 + 1.2 µ$
      chat('mistral.mistral-7b-instruct-v0:2', { 'gen_ai.request.max_tokens': 32, 'gen_ai.request.stream': true }),
      used(25, 6),
      completed('stop'),
      pricedAttrs('aws', 'mistral.mistral-7b-instruct-v0:2', { total: 0.00000495, input: 0.00000375, output: 0.0000012 }, [25, 6]),
    ],
    [
      'invoke-stream-nova',
      // Nova Pro: $0.80 input, $0.20 cache read, $3.20 output. 400 × 0.8 + 600 × 0.2 + 2 × 3.2 = 320 + 120 + 6.4 µ$
      chat('apac.amazon.nova-pro-v1:0', { 'gen_ai.request.max_tokens': 16, 'gen_ai.request.stream': true }),
      used(1_000, 2, { 'gen_ai.usage.cache_read.input_tokens': 600 }),
      completed('end_turn'),
      pricedAttrs('aws', 'amazon.nova-pro-v1:0', { total: 0.0004464, input: 0.00032, output: 0.0000064, cacheRead: 0.00012 }, [1_000, 2]),
    ],
  ])('%s: one priced span with the exact usage', (name, request, response, outcomeAttrs, cost) => {
    const spans = outcome(name).spans;
    expect(spans.map((s) => s.scope)).toEqual([SCOPE]);
    const call = span(name);
    expect(call.status.code).toBe(0);
    expect(call.attributes).toEqual({ ...request, ...response, ...outcomeAttrs, ...cost });
    expect(requests(name).map((r) => [r.api.startsWith('bedrock.'), r.completed])).toEqual([[true, true]]);
  });

  it('refuses a call its run budget cannot cover before anything is sent', () => {
    expect(outcome('budget-refuses').result).toEqual({ name: 'BudgetExceededError', budget: true, action: 'refused' });
    expect(requests('budget-refuses')).toEqual([]);
    const call = span('budget-refuses');
    expect(call.status).toEqual({ code: 2, message: expect.stringContaining('refused a aws.bedrock us.anthropic.claude-3-5-haiku-20241022-v1:0 call') });
    // Never sent: no server attributes (the client middleware writes them from the signed request).
    expect(call.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'gen_ai.request.max_tokens': 4_096,
      'costtrace.budget.scope': 'invoke_workflow tiny',
      'costtrace.call.outcome': 'budget_refused',
      'gen_ai.response.finish_reasons': ['error'],
      'error.type': 'BudgetExceededError',
      'costtrace.run.id': expect.stringMatching(/^[0-9a-f]{32}-[0-9a-f]{16}$/),
    });
  });

  it('aborts a slow ConverseStream that crosses its run budget: the caller gets BudgetExceededError, the server sees the stream closed, no retry', async () => {
    expect(outcome('stream-aborted').result).toEqual({ aborted: true, error: { name: 'BudgetExceededError', budget: true, action: 'aborted' } });
    const sent = requests('stream-aborted');
    expect(sent).toHaveLength(1);
    const closed = await servers.fake().waitForClose(sent[0]!.id);
    expect([closed.completed, closed.clientClosedEarly]).toEqual([false, true]);
    expect(closed.chunksSent).toBeLessThan(2_000);
    const call = span('stream-aborted');
    expect(call.attributes).toMatchObject({
      'costtrace.call.outcome': 'budget_aborted',
      'error.type': 'BudgetExceededError',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.usage.estimated': true,
      'costtrace.pricing.status': 'estimated',
    });
    expect(call.status.code).toBe(2);
  });
});
