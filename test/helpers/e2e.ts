import { afterAll, beforeAll, expect, it } from 'vitest';
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
  { concurrent = false }: { concurrent?: boolean } = {},
): () => RunResult {
  let result: RunResult;
  if (concurrent) {
    const run = joinConcurrentGroup(servers, () => runScenarios({ ...opts, fake: servers.fake(), receiver: servers.receiver() }));
    beforeAll(async () => {
      result = await run();
    }, 120_000);
    return () => result;
  }
  beforeAll(async () => {
    result = await runScenarios({ ...opts, fake: servers.fake(), receiver: servers.receiver() });
  }, 60_000);
  return () => result;
}

// Runs whose child processes mostly wait (for an exit deadline, a crash's flush) start together:
// the first beforeAll of a group (one per useServers, so its servers are up) starts every run of
// the group, at most CONCURRENT_RUNS at a time, and each test's beforeAll awaits its own.
const CONCURRENT_RUNS = 4;
const groups = new WeakMap<object, { starts: Array<() => Promise<unknown>>; started: boolean }>();

function joinConcurrentGroup(servers: object, start: () => Promise<RunResult>): () => Promise<RunResult> {
  let group = groups.get(servers);
  if (!group) groups.set(servers, (group = { starts: [], started: false }));
  let settle!: (r: Promise<RunResult>) => void;
  const done = new Promise<RunResult>((resolve) => {
    settle = resolve;
  });
  group.starts.push(() => {
    const running = start();
    settle(running);
    return running.catch(() => undefined);
  });
  const g = group;
  return () => {
    if (!g.started) {
      g.started = true;
      const worker = async (): Promise<void> => {
        for (let s = g.starts.shift(); s; s = g.starts.shift()) await s();
      };
      for (let i = 0; i < CONCURRENT_RUNS; i++) void worker();
    }
    return done;
  };
}
