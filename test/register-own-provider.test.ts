// An app that registers its own OpenTelemetry NodeSDK before `--import/--require @costtrace/register`:
// costtrace joins that provider (its processors added to it), says so once, and budgets still hold.
import { describe, expect, it } from 'vitest';
import { useRun, useServers } from './helpers/e2e';
import { scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

describe.each(['esm', 'cjs'] as ModuleSystem[])('@costtrace/register after the app registered its own provider, %s', (mode) => {
  const servers = useServers();
  const run = useRun(servers, {
    fixture: 'mixed',
    mode,
    tag: 'own-provider',
    scenarios: ['register/zero-budget-attribute'],
    preloadFirst: [{ esm: './own-provider.mjs', cjs: './own-provider.cjs' }],
    env: { OTEL_METRICS_EXPORTER: 'none' },
  });
  const outcome = () => run().outcomes['register/zero-budget-attribute']!;

  it('enforces a $0 budget set by attribute on the app\'s own span, and lets a call outside it through', () => {
    expect([run().exitCode, run().signal]).toEqual([0, null]);
    expect(outcome().result).toEqual({ budgeted: 'refused: refused', free: 'ok' });
  });

  it('rolls the cost of the calls up onto the app\'s run span', () => {
    // The refused call sent nothing: one model call in the run.
    expect(outcome().root?.attributes['costtrace.subtree.llm_calls']).toBe(1);
    expect(outcome().spans.find((s) => s.name === 'budgeted step')?.attributes).toMatchObject({
      'costtrace.budget.limit_usd': 0,
      'costtrace.budget.refused_calls': 1,
    });
  });

  it('says once, in one line, what it did and what to do; no stack traces', () => {
    const lines = run().stderr.split('\n').filter(Boolean);
    expect(lines).toEqual([
      "[costtrace] warn: costtrace: a tracer provider was registered before @costtrace/register (your own NodeSDK?); costtrace added its processors to it, so costs roll up and budgets hold, but its sampler and exporter stay yours. To set this up explicitly, add createCostProcessors().spanProcessors (from @costtrace/budget-span-processor) to your own NodeSDK and call its install() (see the @costtrace/register README) instead of loading @costtrace/register, or load @costtrace/register before your own setup.",
    ]);
  });
});

describe.each(['esm', 'cjs'] as ModuleSystem[])('@costtrace/register after the app registered a provider of another kind, %s', (mode) => {
  const servers = useServers();
  const run = useRun(servers, {
    fixture: 'mixed',
    mode,
    tag: 'foreign-provider',
    scenarios: ['register/context-budget'],
    preloadFirst: [{ esm: './foreign-provider.mjs', cjs: './foreign-provider.cjs' }],
    env: { OTEL_METRICS_EXPORTER: 'none' },
  });
  const outcome = () => run().outcomes['register/context-budget']!;
  const fix =
    'add createCostProcessors().spanProcessors (from @costtrace/budget-span-processor) to your own NodeSDK and call its install() (see the @costtrace/register README) instead of loading @costtrace/register, or load @costtrace/register before your own setup';

  it('refuses a call under a withRun budget it cannot count, saying why, and lets a call under none through', () => {
    expect([run().exitCode, run().signal]).toEqual([0, null]);
    expect(outcome().result).toEqual({
      budgeted: `refused: costtrace refused a openai gpt-4o-mini call under budget "invoke_workflow nightly": costtrace cannot count spend here (a tracer provider of another kind was registered first); ${fix}`,
      free: 'ok',
    });
    // Only the call under no budget reached the provider.
    const prefix = scenarioPrefix({ fixture: 'mixed', mode, tag: 'foreign-provider' });
    expect(servers.fake().requests.filter((r) => r.scenario?.startsWith(prefix))).toHaveLength(1);
  });

  it('says once, in one line, that budgets cannot be counted and what to do; no stack traces', () => {
    expect(run().stderr.split('\n').filter(Boolean)).toEqual([
      `[costtrace] error: costtrace: a tracer provider of another kind was registered before @costtrace/register; costtrace cannot see its spans, so costs do not roll up, budgets set on them are not seen, and calls under a withRun/withAgent budget are refused. To fix it, ${fix}.`,
    ]);
  });
});
