// Spans costtrace did not create (the official @opentelemetry/instrumentation-openai, the
// Anthropic SDK's own tracing) are priced the same as ours, and one call is never counted twice.
// The app runs under the user's own NodeSDK (test/sdk-versions/mixed/user-sdk.{mjs,cjs}) with
// costtrace's processors and the instrumentations COSTTRACE_TEST_INSTRUMENTATIONS names.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, useRun, useServers, type ReceivedSpan } from './helpers/e2e';
import type { ModuleSystem } from './helpers/scenario-runner';

const OURS_OPENAI = '@costtrace/instrumentation-openai';
const OFFICIAL = '@opentelemetry/instrumentation-openai';
const OURS_ANTHROPIC = '@costtrace/instrumentation-anthropic';
const ANTHROPIC_SDK = 'com.anthropic.sdk.typescript';
const SCENARIOS = ['openai/chat-uncached', 'openai/chat-basic', 'openai/chat-stream', 'anthropic/messages-basic'];
const counted = (spans: ReceivedSpan[]) => spans.filter((s) => s.attributes['costtrace.pricing.status'] !== 'duplicate' && s.attributes['costtrace.pricing.status'] !== undefined);
const byScope = (spans: ReceivedSpan[], scope: string) => spans.filter((s) => s.scope === scope);

describe.each(['esm', 'cjs'] as ModuleSystem[])("under a user's own NodeSDK, %s", (mode) => {
  const servers = useServers();
  const preload = mode === 'esm' ? './user-sdk.mjs' : './user-sdk.cjs';
  const officialOnly = useRun(servers, { fixture: 'mixed', mode, preload, tag: 'official', scenarios: SCENARIOS, env: { COSTTRACE_TEST_INSTRUMENTATIONS: 'official-openai' } });
  const both = useRun(servers, { fixture: 'mixed', mode, preload, tag: 'both', scenarios: SCENARIOS, env: { COSTTRACE_TEST_INSTRUMENTATIONS: 'costtrace,official-openai' } });
  const oursOnly = useRun(servers, { fixture: 'mixed', mode, preload, tag: 'ours', scenarios: SCENARIOS, env: { COSTTRACE_TEST_INSTRUMENTATIONS: 'costtrace' } });

  it('runs cleanly with each set of instrumentations', () => {
    for (const run of [officialOnly(), both(), oursOnly()]) expectCleanExit(run);
  });

  it("patches the app's SDKs (ESM through the loader hook, CommonJS through require)", () => {
    expect(byScope(oursOnly().outcomes['openai/chat-basic']!.spans, OURS_OPENAI)).toHaveLength(1);
    expect(byScope(oursOnly().outcomes['anthropic/messages-basic']!.spans, OURS_ANTHROPIC)).toHaveLength(1);
  });

  it("prices the official instrumentation's span the same as ours", () => {
    const theirs = byScope(officialOnly().outcomes['openai/chat-uncached']!.spans, OFFICIAL);
    const ours = byScope(oursOnly().outcomes['openai/chat-uncached']!.spans, OURS_OPENAI);
    // 200 × $0.15 + 20 × $0.60 per million = 30 + 12 = 42 µ$
    expect(theirs.map((s) => [s.attributes['costtrace.pricing.status'], s.attributes['gen_ai.usage.cost.amount']])).toEqual([['priced', 0.000042]]);
    expect(ours.map((s) => s.attributes['gen_ai.usage.cost.amount'])).toEqual([0.000042]);
  });

  it('counts each call once when both instrumentations wrap the same method', () => {
    for (const name of ['openai/chat-uncached', 'openai/chat-basic', 'openai/chat-stream']) {
      const spans = both().outcomes[name]!.spans;
      expect([byScope(spans, OURS_OPENAI).length, byScope(spans, OFFICIAL).length], name).toEqual([1, 1]);
      const priced = counted(spans);
      expect(priced, name).toHaveLength(1);
      // Ours owns the call (exact and gated), nested in the official span; the official one is its duplicate.
      expect(priced.map((s) => s.scope), name).toEqual([OURS_OPENAI]);
      const duplicate = spans.find((s) => s.attributes['costtrace.pricing.status'] === 'duplicate')!;
      expect(duplicate.scope, name).toBe(OFFICIAL);
      expect(priced[0]!.parentSpanId, name).toBe(duplicate.spanId);
    }
    // Our instrumentation injected include_usage, so even the stream is priced exactly.
    expect(counted(both().outcomes['openai/chat-stream']!.spans)[0]!.attributes['gen_ai.usage.cost.amount']).toBe(0.000009);
  });

  it("flags the official instrumentation's usage-less stream as unpriced, never a silent $0", () => {
    const [theirs] = byScope(officialOnly().outcomes['openai/chat-stream']!.spans, OFFICIAL);
    expect(theirs!.attributes['costtrace.pricing.status']).toBe('unpriced');
    expect(theirs!.attributes).not.toHaveProperty('gen_ai.usage.cost.amount');
  });

  it("prices the Anthropic SDK's own span like ours when it is the only record of the call", () => {
    const sdkOnly = officialOnly().outcomes['anthropic/messages-basic']!.spans;
    expect(byScope(sdkOnly, OURS_ANTHROPIC)).toEqual([]);
    const [sdkSpan] = byScope(sdkOnly, ANTHROPIC_SDK);
    const [ours] = byScope(oursOnly().outcomes['anthropic/messages-basic']!.spans, OURS_ANTHROPIC);
    expect(sdkSpan!.attributes['costtrace.pricing.status']).toBe('priced');
    expect(sdkSpan!.attributes['gen_ai.usage.cost.amount']).toBe(0.0016425);
    expect(ours!.attributes['gen_ai.usage.cost.amount']).toBe(0.0016425);
    // With ours present, the SDK's span is nested in ours and marked duplicate.
    const withOurs = oursOnly().outcomes['anthropic/messages-basic']!.spans;
    expect(counted(withOurs).map((s) => s.scope)).toEqual([OURS_ANTHROPIC]);
  });
});
