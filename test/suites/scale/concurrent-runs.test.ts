// Scale suite: 1,000 runs at once, each with a budget and three concurrent streams through the real
// openai SDK, costtrace's instrumentation and both processors (in process; the SDK answered by an
// in-process fetch whose streams interleave one event per turn of the event loop). A quarter of the
// runs cross their budget early in the streams, a quarter late, the rest never. No call hangs, no
// scope or span is left behind, and each run is charged exactly what its calls cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRun, isBudgetExceededError } from '@costtrace/core';
import { openaiChatSse, startInProcessApp, type InProcessApp } from '../../helpers/in-process-app';

const RUNS = 1_000;
const STREAMS = 3;
const DELTAS = 20;
// gpt-4o-mini, each stream 100 input and 3,000 output tokens (20 deltas of 150): 100 × $0.15 +
// 3,000 × $0.60 per million = $0.001815 whole, $0.005445 for three; a delta costs $0.00009. Each call
// is admitted holding about $0.0006 (its input and the gate's output allowance), so the three fit in
// either budget and the crossing comes from the running cost as the deltas arrive.
const TOKENS_PER_DELTA = 150;
const STREAM_USD = 0.001815;
const BUDGETS = [
  ['early', 0.0019], // crossed about 7 deltas into each of the three streams
  ['late', 0.005], // crossed about 18 deltas in
  ['never', 1],
  ['never', 1],
] as const;

interface RunResult {
  kind: string;
  streams: Array<{ deltas: number; error: string | null }>;
}

describe(`${RUNS} concurrent runs × ${STREAMS} streams under budgets`, () => {
  let app: InProcessApp;
  let results: RunResult[];
  beforeAll(async () => {
    app = startInProcessApp(() => ({ sse: openaiChatSse('gpt-4o-mini', Array.from({ length: DELTAS }, (_, i) => `${'word '.repeat(TOKENS_PER_DELTA - 1)}w${i} `), { prompt_tokens: 100, completion_tokens: DELTAS * TOKENS_PER_DELTA, total_tokens: 100 + DELTAS * TOKENS_PER_DELTA }) }));
    app.ended.keep = true;
    results = await Promise.all(
      Array.from({ length: RUNS }, (_, r) => {
        const [kind, budgetUsd] = BUDGETS[r % BUDGETS.length]!;
        return withRun(`run ${r}`, { budgetUsd }, async () => ({
          kind,
          streams: await Promise.all(
            Array.from({ length: STREAMS }, async () => {
              let deltas = 0;
              try {
                const stream = await app.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'write' }], stream: true });
                for await (const c of stream) if (c.choices[0]?.delta?.content) deltas++;
                return { deltas, error: null };
              } catch (err) {
                return { deltas, error: isBudgetExceededError(err) ? `budget ${(err as { action: string }).action}` : String(err) };
              }
            }),
          ),
        }));
      }),
    );
  }, 120_000);
  afterAll(() => app?.close());

  it('every call settles: whole, or stopped by its budget; nothing else reaches the app', () => {
    expect(results).toHaveLength(RUNS);
    const dist: Record<string, number> = {};
    for (const r of results) for (const st of r.streams) dist[`${r.kind} ${st.error ?? 'whole'} ${st.deltas}`] = (dist[`${r.kind} ${st.error ?? 'whole'} ${st.deltas}`] ?? 0) + 1;
    process.stdout.write(`scale: streams by run kind, outcome and deltas read: ${JSON.stringify(dist)}\n`);
    const seen = new Set(results.flatMap((r) => r.streams.map((s) => `${r.kind} ${s.error ?? 'whole'}`)));
    expect([...seen].filter((s) => !/^(early|late) budget (aborted|refused)$|^(early|late|never) whole$/.test(s))).toEqual([]);
    // The runs without a crossing read every delta of every stream.
    for (const r of results.filter((x) => x.kind === 'never')) expect(r.streams).toEqual(Array(STREAMS).fill({ deltas: DELTAS, error: null }));
    // Early crossings stop streams early, late ones late.
    const stopped = (kind: string) => results.filter((r) => r.kind === kind).flatMap((r) => r.streams.filter((s) => s.error !== null).map((s) => s.deltas));
    expect(stopped('early').length).toBeGreaterThan(0);
    expect(Math.max(...stopped('early'))).toBeLessThan(DELTAS / 2);
    expect(stopped('late').length).toBeGreaterThan(0);
    expect(Math.min(...stopped('late'))).toBeGreaterThan(DELTAS / 2);
  });

  it('leaves nothing behind: no open call, no tracked span or trace, no reservation held', () => {
    expect(app.openCalls()).toBe(0);
    expect(app.tree.trackedSpans).toBe(0);
    expect(app.tree.traceCount).toBe(0);
    for (const [id, n] of app.ended.ends) expect(n, `span ${id}`).toBe(1);
    expect(app.ended.ends.size).toBe(RUNS * (STREAMS + 1));
    expect(app.errors).toEqual([]);
    // Ended scopes' ledgers are kept (bounded) for calls that outlive their span; none holds a reservation.
    const keys = [...(app.store as unknown as { _ledgers: Map<string, unknown> })._ledgers.keys()];
    expect(keys.length).toBe(app.store.size);
    for (const key of keys) {
      const ledger = app.store.get(key)!;
      expect([key, ledger.reservedPico, ledger.inflightPico]).toEqual([key, 0n, 0n]);
    }
    process.stdout.write(`scale: ${RUNS} runs; store ledgers kept after all ended: ${app.store.size}\n`);
  });

  it('charges each run exactly what its calls cost', () => {
    const byTrace = new Map<string, { run?: (typeof app.ended.spans)[number]; calls: typeof app.ended.spans }>();
    for (const s of app.ended.spans) {
      const t = byTrace.get(s.spanContext().traceId) ?? { calls: [] };
      if (s.name.startsWith('invoke_workflow ')) t.run = s;
      else t.calls.push(s);
      byTrace.set(s.spanContext().traceId, t);
    }
    expect(byTrace.size).toBe(RUNS);
    for (const { run, calls } of byTrace.values()) {
      expect(calls).toHaveLength(STREAMS);
      const sum = calls.reduce((a, c) => a + Number(c.attributes['gen_ai.usage.cost.amount'] ?? 0), 0);
      expect(run!.attributes['costtrace.budget.spent_usd'], run!.name).toBeCloseTo(sum, 12);
      expect(run!.attributes['costtrace.subtree.cost_usd'], run!.name).toBeCloseTo(sum, 12);
      const r = Number(run!.name.slice('invoke_workflow run '.length));
      if (BUDGETS[r % BUDGETS.length]![0] === 'never') {
        for (const c of calls) expect([c.attributes['costtrace.call.outcome'], c.attributes['gen_ai.usage.cost.amount']]).toEqual(['completed', STREAM_USD]);
      } else {
        expect(run!.attributes['costtrace.budget.exceeded']).toBe(true);
      }
    }
  });
});
