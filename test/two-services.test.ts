// A run that crosses services: service A (a scenario process) starts a run with a budget and calls
// service B (another process, a plain node:http server under @costtrace/register) over HTTP with
// the trace context and the run's baggage. Both share one Redis budget store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanExit, useServers } from './helpers/e2e';
import { redisSkipReason, startRedis, type RedisServer } from './helpers/redis-server';
import { runScenarios, type ModuleSystem, type RunResult } from './helpers/scenario-runner';
import { startService, type ServiceProcess } from './helpers/service-process';

const skip = redisSkipReason();
if (skip !== undefined && process.env.CI) throw new Error(`the two-service test cannot run under CI: ${skip}`);

// Skipped only outside CI, with the reason in the title: `skip` says what is missing.
describe.skipIf(skip !== undefined).each(['esm', 'cjs'] as ModuleSystem[])(`two services share one run budget, %s${skip ? ` (skipped: ${skip})` : ''}`, (mode) => {
  const servers = useServers();
  let redis: RedisServer | undefined;
  let worker: ServiceProcess | undefined;
  let a: RunResult;
  let b: Awaited<ReturnType<ServiceProcess['stop']>>;
  beforeAll(async () => {
    redis = await startRedis();
    const common = {
      OTEL_EXPORTER_OTLP_ENDPOINT: servers.receiver().url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'none',
      COSTTRACE_BUDGET_STORE: redis.url,
    };
    // Both under register's setup (test-clock.*), the shared store named by COSTTRACE_BUDGET_STORE.
    const preload = mode === 'esm' ? './test-clock.mjs' : './test-clock.cjs';
    worker = await startService({ fixture: 'mixed', mode, file: 'worker-service', preload, env: { ...common, OTEL_SERVICE_NAME: 'worker', FAKE_URL: servers.fake().url } });
    a = await runScenarios({
      fixture: 'mixed',
      mode,
      tag: 'two-services',
      preload,
      scenarios: ['services/planner'],
      fake: servers.fake(),
      receiver: servers.receiver(),
      env: { ...common, WORKER_URL: worker.url },
    });
    b = await worker.stop();
    worker = undefined;
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await redis?.stop();
  });

  it("stops B's stream when the run's total crosses, and refuses B's next call, by A's run budget", () => {
    expectCleanExit(a);
    expect(b.stderr).toBe('');
    const { worker: result, plan } = a.outcomes['services/planner']!.result as { plan: string; worker: { stream: { chunks: number; stopped: string }; next: string } };
    expect(plan).toBe('the plan');
    expect(result.stream.stopped).toBe('aborted by invoke_workflow plan');
    // A spent $0.006; B's stream ($0.0004 a chunk) crosses $0.02 near chunk 36, long before its 200.
    expect(result.stream.chunks).toBeLessThan(60);
    // With the shared store an SDK-level call the local lease does not cover is sent at once and
    // stopped when the store refuses it (the Redis store's README): refused or aborted, by the run.
    expect(result.next).toMatch(/^(refused|aborted) by invoke_workflow plan$/);
  });

  it("continues A's trace in B, and shows on A's run span the run's total spend, B's included", () => {
    // Read after B stopped (its spans flushed at SIGTERM): the scenario's own list was taken when A exited.
    const root = a.outcomes['services/planner']!.root!;
    const spans = servers.receiver().spans.filter((s) => s.traceId === root.traceId && s !== root);
    const run = spans.find((s) => s.name === 'invoke_workflow plan')!;
    const calls = spans.filter((s) => s.name === 'chat gpt-4.1');
    // A's call and B's two, all in A's trace: A's completed, B's stream aborted, B's next call stopped by
    // the run's budget: refused before sending, or, admitted provisionally on the SDK path while the
    // shared store answered, stopped when it refused (see the Redis store's README).
    const outcomes = calls.map((s) => String(s.attributes['costtrace.call.outcome']));
    expect(outcomes).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'budget_aborted').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.every((o) => ['completed', 'budget_aborted', 'budget_refused'].includes(o))).toBe(true);
    expect(calls.filter((s) => s.attributes['costtrace.call.outcome'] !== 'completed').map((s) => s.attributes['costtrace.budget.scope'])).toEqual([
      'invoke_workflow plan',
      'invoke_workflow plan',
    ]);
    const own = run.attributes['costtrace.subtree.cost_usd'] as number;
    // Every call's own cost, B's included (a call stopped before it sent anything costs nothing).
    const all = calls.reduce((sum, s) => sum + Number(s.attributes['gen_ai.usage.cost.amount'] ?? 0), 0);
    const streamed = Number(calls.find((s) => s.attributes['costtrace.call.outcome'] === 'budget_aborted' && Number(s.attributes['gen_ai.usage.output_tokens']) > 1000)?.attributes['gen_ai.usage.cost.amount']);
    expect(own).toBe(0.006);
    // The total holds A's call and B's stream that crossed the limit. B's next call, stopped after it
    // was sent, may settle in the store just after A's run ended (a shared store sends settled spend
    // within 50 ms): the total lies between the two, never above every call's cost.
    const total = run.attributes['costtrace.run.total_cost_usd'] as number;
    expect(total).toBeGreaterThan(0.02);
    expect(total).toBeGreaterThanOrEqual(own + streamed - 1e-12);
    expect(total).toBeLessThanOrEqual(all + 1e-12);
  });
});
