// An app that crashes (uncaught exception, unhandled rejection) under `node --import/--require
// @costtrace/register`: its finished spans are exported, then Node's default behaviour resumes.
// Each case runs twice, with costtrace and with OTEL_SDK_DISABLED=true, and the process must end
// the same way in both.
import { describe, expect, it } from 'vitest';
import { useRun, useServers } from './helpers/e2e';
import type { ModuleSystem } from './helpers/scenario-runner';

const CASES: Array<{ scenario: string; message: string; exitCode: number; stdout?: string }> = [
  { scenario: 'register/uncaught-exception', message: 'boom: uncaught in the app', exitCode: 1 },
  { scenario: 'register/unhandled-rejection', message: 'boom: rejected in the app', exitCode: 1 },
  // The app's own handler decides: it sets exit code 5 and the process goes on until it drains.
  { scenario: 'register/own-crash-handler', message: 'boom: handled by the app', exitCode: 5, stdout: 'APP HANDLED boom: handled by the app' },
];

describe.each(['esm', 'cjs'] as ModuleSystem[])('@costtrace/register when the app crashes, %s', (mode) => {
  const servers = useServers();
  for (const c of CASES) {
    const opts = { fixture: 'mixed' as const, mode, scenarios: [c.scenario] };
    // A batch delay of a minute: only an export at the crash can have sent the spans.
    const traced = useRun(servers, { ...opts, tag: 'crash', env: { OTEL_BSP_SCHEDULE_DELAY: '60000' } }, { concurrent: true });
    const untraced = useRun(servers, { ...opts, tag: 'crash-baseline', env: { OTEL_SDK_DISABLED: 'true' } }, { concurrent: true });

    it(`${c.scenario}: ends exactly as without costtrace (exit code ${c.exitCode}, the error on stderr)`, () => {
      expect([traced().exitCode, traced().signal]).toEqual([c.exitCode, null]);
      expect([untraced().exitCode, untraced().signal]).toEqual([c.exitCode, null]);
      if (c.stdout === undefined) {
        expect(traced().stderr).toContain(c.message);
        expect(untraced().stderr).toContain(c.message);
      } else {
        expect(traced().stdout).toContain(c.stdout);
        expect(untraced().stdout).toContain(c.stdout);
      }
      expect(traced().stderr).not.toContain('[costtrace]');
    });

    it(`${c.scenario}: the spans that finished before the crash are exported`, () => {
      const outcome = traced().outcomes[c.scenario]!;
      expect(outcome.root?.name).toBe(`scenario mixed-${mode}-crash-${c.scenario}`);
      expect(outcome.spans.map((s) => s.name)).toEqual(['chat gpt-4o-mini']);
    });
  }
});
