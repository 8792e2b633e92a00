import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import { nodeMajor, scenarioPrefix, type ModuleSystem } from './helpers/scenario-runner';

const inference = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);

describe.each(['esm', 'cjs'] as ModuleSystem[])('OpenAI Agents SDK, %s', (mode) => {
  const servers = useServers();
  const opts = { fixture: 'openai-agents-openai6' as const, mode };
  const run = useRun(servers, { ...opts, scenarios: ['frameworks/openai-agents-handoff'], env: { OPENAI_AGENTS_DISABLE_TRACING: '1' } });
  it('debug', () => {
    console.log(JSON.stringify(run().outcomes, null, 1).slice(0, 6000), run().stderr);
  });
});
