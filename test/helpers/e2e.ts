import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '@costtrace/fake-llm';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan, type ReceiverOptions } from './otlp-receiver';
import { runScenarios, type Fixture, type ModuleSystem, type RunOptions, type RunResult } from './scenario-runner';

/** One fake provider and one OTLP receiver (answering as `receiverOptions` say) for a test file. */
export function useServers(receiverOptions: ReceiverOptions = {}): { fake: () => FakeLlm; receiver: () => OtlpReceiver } {
  let fake: FakeLlm;
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    fake = await startFakeLlm();
    receiver = await startOtlpReceiver(receiverOptions);
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

/**
 * Run options whose env names fake-llm as a base URL of the fetch instrumentation (as a user names a
 * proxy), plus `more`: read when the run starts, once the fake is up.
 */
export function withBaseUrl<T extends object>(
  servers: ReturnType<typeof useServers>,
  opts: T,
  more: Record<string, string> = {},
): T & { env: Record<string, string> } {
  return Object.defineProperty(opts, 'env', { enumerable: true, get: () => ({ COSTTRACE_FETCH_BASE_URLS: servers.fake().url, ...more }) }) as T & {
    env: Record<string, string>;
  };
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

/**
 * A child process must exit cleanly, print no warning (deprecations included) on stderr,
 * and leave no model call's span open once its scenarios have returned.
 */
export function expectCleanExit(run: RunResult): void {
  expect(run.stderr).toBe('');
  expect([run.exitCode, run.signal]).toEqual([0, null]);
  expect(run.openCalls).toBe(0);
}

export type { Fixture, ModuleSystem, ReceivedSpan };

/** The parts of a priced call, USD, as worked out by hand in each test. */
export interface HandCost {
  total: number;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/**
 * The cost attributes the CostSpanProcessor writes on a priced inference span
 * (leaf cost, pricing, run id and its own subtree totals).
 */
export function pricedAttrs(
  provider: string,
  catalogModel: string,
  cost: HandCost,
  tokens: [input: number, output: number],
  status: 'priced' | 'estimated' = 'priced',
): Record<string, unknown> {
  return {
    'gen_ai.usage.cost.amount': cost.total,
    'gen_ai.usage.cost.currency': 'USD',
    'gen_ai.usage.cost.source': 'local',
    'costtrace.cost.input_usd': cost.input,
    'costtrace.cost.output_usd': cost.output,
    'costtrace.cost.cache_read_usd': cost.cacheRead ?? 0,
    'costtrace.cost.cache_write_usd': cost.cacheWrite ?? 0,
    'costtrace.pricing.status': status,
    'costtrace.pricing.model': catalogModel,
    'costtrace.pricing.provider': provider,
    'costtrace.pricing.version': 'genai-prices@0.1.8',
    ...(status === 'estimated' ? { 'costtrace.pricing.reason': expect.any(String) } : {}),
    'costtrace.run.id': expect.stringMatching(/^[0-9a-f]{32}-[0-9a-f]{16}$/),
    'costtrace.subtree.cost_usd': cost.total,
    'costtrace.subtree.llm_calls': 1,
    'costtrace.subtree.input_tokens': tokens[0],
    'costtrace.subtree.output_tokens': tokens[1],
    'costtrace.subtree.unpriced_calls': 0,
  };
}

/** Cost attributes of a call whose usage is our own estimate: the amounts are whatever the estimate gives. */
export function estimatedAttrs(provider: string, catalogModel: string): Record<string, unknown> {
  const any = expect.any(Number);
  return {
    ...pricedAttrs(provider, catalogModel, { total: any, input: any, output: any, cacheRead: any, cacheWrite: any }, [any, any], 'estimated'),
  };
}

/** A scenario result with the fake's per-request ids masked, so two runs can be compared. */
export function comparable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value ?? null)
      .replace(/req_fake\d+/g, 'req_fake#')
      .replace(/(msg|resp|chatcmpl-|chatcmpl_)_?fake\d+/g, '$1fake#'),
  );
}

/**
 * Runs `scenarios` a second time with `OTEL_SDK_DISABLED=true` and asserts that both runs exit
 * cleanly and that the app saw exactly the same in each scenario (the SDK behaves as before).
 */
export function itBehavesAsWithoutInstrumentation(
  servers: ReturnType<typeof useServers>,
  opts: Omit<RunOptions, 'fake' | 'receiver' | 'tag' | 'env'>,
  run: () => RunResult,
): void {
  // The same scenarios with tracing off: what the app sees without costtrace.
  const baseline = useRun(servers, { ...opts, tag: 'baseline', env: { OTEL_SDK_DISABLED: 'true' } });

  it('runs every scenario and exits cleanly, printing nothing', () => {
    expectCleanExit(run());
    expectCleanExit(baseline());
    expect(Object.keys(run().outcomes).sort()).toEqual([...opts.scenarios].sort());
  });

  it.each(opts.scenarios)('%s: the app sees exactly what it sees without instrumentation', (name) => {
    const seen = run().outcomes[name]!;
    const without = baseline().outcomes[name]!;
    expect(without.spans).toEqual([]);
    expect(comparable(seen.result ?? seen.error)).toEqual(comparable(without.result ?? without.error));
  });
}
