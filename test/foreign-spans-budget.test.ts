// A run budget over calls costtrace can see but not gate (only the official
// @opentelemetry/instrumentation-openai patches the SDK): each call is counted after the fact,
// once, with one warning naming that instrumentation; with costtrace's own instrumentation too,
// the calls pass the gate and nothing is counted twice. The app runs under the user's own NodeSDK
// (test/sdk-versions/mixed/user-sdk.{mjs,cjs}).
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers } from './helpers/e2e';
import type { ModuleSystem } from './helpers/scenario-runner';

const SCENARIO = 'budget/foreign-under-budget';
const OFFICIAL = '@opentelemetry/instrumentation-openai';

describe.each(['esm', 'cjs'] as ModuleSystem[])("a budget over the official instrumentation's calls, %s", (mode) => {
  const servers = useServers();
  const preload = mode === 'esm' ? './user-sdk.mjs' : './user-sdk.cjs';
  const official = useRun(servers, { fixture: 'mixed', mode, preload, tag: 'official-budget', scenarios: [SCENARIO], env: { COSTTRACE_TEST_INSTRUMENTATIONS: 'official-openai' } });
  const both = useRun(servers, { fixture: 'mixed', mode, preload, tag: 'both-budget', scenarios: [SCENARIO], env: { COSTTRACE_TEST_INSTRUMENTATIONS: 'costtrace,official-openai' } });
  const runSpan = (r: ReturnType<typeof official>) => r.outcomes[SCENARIO]!.spans.find((s) => s.name.includes('foreign'))!;

  it('counts each call once after the fact and warns once, naming the instrumentation', () => {
    expectCleanExit(official());
    const outcome = official().outcomes[SCENARIO]!;
    // 2 × $0.000042
    expect(runSpan(official()).attributes['costtrace.budget.spent_usd']).toBe(0.000084);
    const warnings = (outcome.result as { warnings: string[] }).warnings;
    expect(warnings).toHaveLength(1);
    // The instrumentation's version is the one the fixture pins.
    expect(warnings[0]!.replace(/" \d+\.\d+\.\d+ \(/, '" <version> (')).toBe(
      `BudgetSpanProcessor: a model call from "${OFFICIAL}" <version> ("chat gpt-4o-mini") ended under budget "invoke_workflow foreign" ` +
        'without passing the budget gate: its cost is counted after the fact, but calls on that path are not refused or aborted before they spend',
    );
  });

  it('with costtrace patching too, gates the calls, counts them once, and does not warn', () => {
    expectCleanExit(both());
    expect(runSpan(both()).attributes['costtrace.budget.spent_usd']).toBe(0.000084);
    expect((both().outcomes[SCENARIO]!.result as { warnings: string[] }).warnings).toEqual([]);
  });
});
