// Fault suite, process endings with a model call in flight, under `node --import/--require
// @costtrace/register` (the real OTLP exporter; a batch delay of a minute, so only an export at the
// ending can have sent anything). What the register README documents: SIGTERM and SIGINT end the
// calls in flight, flush, then raise the signal again; with the app's own handler the app decides and
// its calls go on; a crash exports the finished spans and the calls in flight, then ends as Node would;
// a synchronous process.exit() loses what is queued. The drain, and crashes with nothing in flight:
// test/register.test.ts, register-exit.test.ts, register-crash.test.ts.
import { describe, expect, it } from 'vitest';
import { useRun, useServers, type ReceivedSpan } from '../../helpers/e2e';
import type { ModuleSystem, RunResult } from '../../helpers/scenario-runner';

interface Ending {
  name: string;
  scenario: string;
  env?: Record<string, string>;
  /** How the process ends, as it does without costtrace: [exit code, signal]. */
  ends: [number | null, NodeJS.Signals | null];
  /** The call spans exported: [outcome, whole stream?]. */
  calls: Array<[string, 'whole' | 'part']>;
  stderr?: string;
}

const FINISHED_USD = 0.000021; // gpt-4o-mini: 100 × $0.15 + 10 × $0.60 per million
const WHOLE_STREAM_USD = 0.000615; // 100 × $0.15 + 1,000 × $0.60 per million

const ENDINGS: Ending[] = [
  { name: 'SIGTERM', scenario: 'fault/signal-in-flight', env: { FAULT_SIGNAL: 'SIGTERM' }, ends: [null, 'SIGTERM'], calls: [['completed', 'whole'], ['cancelled', 'part']] },
  { name: 'SIGINT', scenario: 'fault/signal-in-flight', env: { FAULT_SIGNAL: 'SIGINT' }, ends: [null, 'SIGINT'], calls: [['completed', 'whole'], ['cancelled', 'part']] },
  // The app's handler drains: the stream in flight runs to its end and is counted whole.
  { name: 'own SIGTERM handler', scenario: 'fault/own-sigterm-handler', ends: [7, null], calls: [['completed', 'whole'], ['completed', 'whole']] },
  // The app's own uncaughtException handler goes on: so does the stream in flight.
  { name: 'own crash handler', scenario: 'fault/own-crash-handler-in-flight', ends: [5, null], calls: [['completed', 'whole'], ['completed', 'whole']] },
  // Documented: a synchronous process.exit() loses the spans still queued.
  { name: 'process.exit', scenario: 'fault/process-exit', ends: [4, null], calls: [] },
  { name: 'uncaught exception', scenario: 'fault/crash-in-flight', env: { FAULT_CRASH: 'throw' }, ends: [1, null], calls: [['completed', 'whole'], ['cancelled', 'part']], stderr: 'boom: thrown in flight' },
  { name: 'unhandled rejection', scenario: 'fault/crash-in-flight', env: { FAULT_CRASH: 'reject' }, ends: [1, null], calls: [['completed', 'whole'], ['cancelled', 'part']], stderr: 'boom: rejected in flight' },
];

const service = (mode: string, e: Ending) => `ending-${mode}-${e.name.replace(/\W+/g, '-')}`;

describe.each(['esm', 'cjs'] as ModuleSystem[])('process endings with a call in flight, %s', (mode) => {
  const servers = useServers();
  const runs = ENDINGS.map((e) => {
    const opts = { fixture: 'mixed' as const, mode, scenarios: [e.scenario], tag: service(mode, e) };
    return { e, run: useRun(servers, { ...opts, env: { ...e.env, OTEL_SERVICE_NAME: service(mode, e), OTEL_BSP_SCHEDULE_DELAY: '60000' } }, { concurrent: true }) };
  });
  const spansOf = (e: Ending): ReceivedSpan[] => servers.receiver().spans.filter((s) => s.resource['service.name'] === service(mode, e));

  describe.each(runs)('$e.name', ({ e, run }) => {
    it(`ends as without costtrace: ${JSON.stringify(e.ends)}, printing only the app's own error`, () => {
      const r: RunResult = run();
      expect([r.exitCode, r.signal]).toEqual(e.ends);
      expect(r.stderr).not.toContain('[costtrace]');
      if (e.stderr) expect(r.stderr).toContain(e.stderr);
      else expect(r.stderr).toBe('');
    });

    it(`exports ${e.calls.length} call spans: ${e.calls.map((c) => c.join(' ')).join(', ') || 'none'}`, () => {
      const calls = spansOf(e).filter((s) => s.attributes['costtrace.call.outcome'] !== undefined);
      expect(calls.map((s) => s.attributes['costtrace.call.outcome'])).toEqual(e.calls.map((c) => c[0]));
      calls.forEach((s, i) => {
        const cost = Number(s.attributes['gen_ai.usage.cost.amount']);
        if (i === 0) expect(cost).toBe(FINISHED_USD);
        else if (e.calls[i]![1] === 'whole') expect([s.attributes['gen_ai.usage.output_tokens'], cost]).toEqual([1000, WHOLE_STREAM_USD]);
        // Cut in flight: charged for what had arrived, and no more than the whole.
        else expect(cost > 0 && cost < WHOLE_STREAM_USD, `${cost}`).toBe(true);
      });
      // The drained run charged both calls whole.
      if (e.ends[0] === 7 || e.ends[0] === 5) {
        const runSpan = spansOf(e).find((s) => s.name === 'invoke_workflow ending');
        expect(runSpan?.attributes['costtrace.budget.spent_usd']).toBeCloseTo(FINISHED_USD + WHOLE_STREAM_USD, 12);
      }
    });
  });
});
