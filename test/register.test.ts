// `node --import/--require @costtrace/register` behaviours that need a process of their own.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers } from './helpers/e2e';
import type { ModuleSystem } from './helpers/scenario-runner';

describe.each(['esm', 'cjs'] as ModuleSystem[])('@costtrace/register, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'mixed' as const, mode };

  const sigterm = useRun(servers, { ...opts, tag: 'sigterm', scenarios: ['openai/chat-basic'], exit: 'sigterm', env: { OTEL_BSP_SCHEDULE_DELAY: '60000' } });
  it('flushes spans on SIGTERM with no code in the app, then ends the process as the signal would', () => {
    // The batch delay is a minute: only the SIGTERM flush can have sent the span.
    expect(sigterm().outcomes['openai/chat-basic']!.spans.map((s) => s.name)).toEqual(['chat gpt-4o-mini']);
    expect([sigterm().exitCode, sigterm().signal]).toEqual([null, 'SIGTERM']);
    expect(sigterm().stderr).toBe('');
  });

  const drain = useRun(servers, { ...opts, tag: 'drain', scenarios: ['openai/chat-basic'], env: { OTEL_BSP_SCHEDULE_DELAY: '60000' } });
  it('flushes spans when the event loop drains', () => {
    expectCleanExit(drain());
    expect(drain().outcomes['openai/chat-basic']!.spans).toHaveLength(1);
  });

  const sampledOut = useRun(servers, {
    ...opts,
    tag: 'always-off',
    scenarios: ['budget/fifty-calls'],
    env: { OTEL_TRACES_SAMPLER: 'always_off' },
  });
  it('keeps budgets on when the sampler drops every span, and exports none of them', () => {
    expectCleanExit(sampledOut());
    expect(sampledOut().outcomes['budget/fifty-calls']!.result).toEqual({ sent: 10, refused: 40 });
    expect(sampledOut().outcomes['budget/fifty-calls']!.root).toBeUndefined();
    expect(servers.receiver().spans.filter((s) => s.name.includes('always-off'))).toEqual([]);
  });

  const noEndpoint = useRun(servers, {
    ...opts,
    tag: 'no-endpoint',
    scenarios: ['openai/chat-basic'],
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
    },
  });
  it('says once, on stderr, where spans go when no endpoint is set, and a collector that is down never fails the app', () => {
    const notices = noEndpoint().stderr.split('\n').filter((l) => l.includes('no OTLP endpoint set'));
    expect(notices).toEqual([
      '[costtrace] warn: costtrace: no OTLP endpoint set; spans go to http://localhost:4318/v1/traces (http/json). Set OTEL_EXPORTER_OTLP_ENDPOINT to send them to your collector.',
    ]);
    expect(noEndpoint().outcomes['openai/chat-basic']!.result).toMatchObject({ content: 'Hello there friend' });
    expect(noEndpoint().exitCode).toBe(0);
  });

  const budgetMetrics = useRun(servers, {
    ...opts,
    tag: 'budget-metrics',
    scenarios: ['budget/fifty-calls'],
    env: { OTEL_SERVICE_NAME: `costtrace-budget-metrics-${mode}` },
  });
  it("exports the budget processor's metrics: the 40 refused calls reach the collector", () => {
    expectCleanExit(budgetMetrics());
    expect(budgetMetrics().outcomes['budget/fifty-calls']!.result).toEqual({ sent: 10, refused: 40 });
    const points = servers.receiver().metrics.filter((m) => m.resource['service.name'] === `costtrace-budget-metrics-${mode}`);
    // Cumulative: the last export (the one at exit) holds the count.
    const refused = points.filter((m) => m.name === 'costtrace.budget.refused_calls');
    expect(refused.at(-1)).toEqual({
      name: 'costtrace.budget.refused_calls',
      scope: '@costtrace/budget-span-processor',
      attributes: { 'costtrace.budget.scope': 'invoke_workflow burst' },
      resource: expect.objectContaining({ 'service.name': `costtrace-budget-metrics-${mode}` }),
      value: 40,
    });
    // The cost processor's metrics travel the same way.
    expect(points.some((m) => m.scope === '@costtrace/cost-span-processor')).toBe(true);
  });

  const disabled = useRun(servers, { ...opts, tag: 'disabled', scenarios: ['openai/chat-basic'], env: { OTEL_SDK_DISABLED: 'true' } });
  it('does nothing at all with OTEL_SDK_DISABLED=true', () => {
    expectCleanExit(disabled());
    expect(disabled().outcomes['openai/chat-basic']!.spans).toEqual([]);
    expect(disabled().outcomes['openai/chat-basic']!.result).toMatchObject({ content: 'Hello there friend' });
  });
});
