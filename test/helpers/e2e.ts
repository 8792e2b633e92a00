import { afterAll, beforeAll, expect } from 'vitest';
import { startFakeLlm, type FakeLlm } from '@costtrace/fake-llm';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { runScenarios, type Fixture, type ModuleSystem, type RunOptions, type RunResult } from './scenario-runner';

/** One fake provider and one OTLP receiver for a test file. */
export function useServers(): { fake: () => FakeLlm; receiver: () => OtlpReceiver } {
  let fake: FakeLlm;
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    fake = await startFakeLlm();
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await fake?.close();
    await receiver?.close();
  });
  return { fake: () => fake, receiver: () => receiver };
}

/** Runs a batch of scenarios once (in beforeAll) and hands the result to the tests. */
export function useRun(
  servers: ReturnType<typeof useServers>,
  opts: Omit<RunOptions, 'fake' | 'receiver'>,
): () => RunResult {
  let result: RunResult;
  beforeAll(async () => {
    result = await runScenarios({ ...opts, fake: servers.fake(), receiver: servers.receiver() });
  }, 60_000);
  return () => result;
}

/** The single span a scenario produced from `scope`, after checking there is exactly one. */
export function onlySpan(spans: ReceivedSpan[], scope: string): ReceivedSpan {
  const mine = spans.filter((s) => s.scope === scope);
  expect(mine.map((s) => s.name)).toHaveLength(1);
  return mine[0]!;
}

/** Drops `server.port` (the fake's ephemeral port) after checking it is a port. */
export function attrs(span: ReceivedSpan): Record<string, unknown> {
  const { 'server.port': port, ...rest } = span.attributes;
  expect(port).toEqual(expect.any(Number));
  return rest;
}

/** A child process must exit cleanly and print no warning (deprecations included) on stderr. */
export function expectCleanExit(run: RunResult): void {
  expect(run.stderr).toBe('');
  expect([run.exitCode, run.signal]).toEqual([0, null]);
}

export type { Fixture, ModuleSystem, ReceivedSpan };
