// Hostile-input suite (property-based, fast-check): usage blocks, attribute values and budget values
// no one should send (NaN, ±Infinity, negative, huge, fractional, strings, arrays, objects, null),
// spans ended twice, processors called after shutdown. Driven in process through the real SDKs, the
// real codecs (costtrace's instrumentations) and the real processors. Nothing may throw into the app
// (only a BudgetExceededError, when a budget refuses or stops a call), every span ends exactly once,
// no processor hook fails (a swallowed failure is logged with diag.error: none may be), and what a
// call was charged is what its span says it cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { context, trace, type Attributes } from '@opentelemetry/api';
import { withAgent, withRun, isBudgetExceededError } from '@costtrace/core';
import { anthropicJson, openaiChatJson, openaiChatSse, startInProcessApp, type Answer, type InProcessApp } from '../../helpers/in-process-app';

// One seed in CI, so a run is repeatable; FC_SEED explores others (a failure prints its seed and path).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });

// A value of any JSON type, hostile to a token count or a dollar amount.
const hostile = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, -0, 0.5, 1e300, 2 ** 53 + 1, 2 ** 60, Number.MAX_VALUE, Number.MIN_VALUE, null, true, '', ' 42 ', '1e3', 'NaN', 'lots', '-5'),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const openaiUsage = fc.oneof(
  hostile,
  fc.record(
    {
      prompt_tokens: hostile,
      completion_tokens: hostile,
      total_tokens: hostile,
      prompt_tokens_details: fc.oneof(hostile, fc.record({ cached_tokens: hostile }, { requiredKeys: [] })),
      completion_tokens_details: fc.oneof(hostile, fc.record({ reasoning_tokens: hostile }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
);
const anthropicUsage = fc.oneof(
  hostile,
  fc.record(
    { input_tokens: hostile, output_tokens: hostile, cache_read_input_tokens: hostile, cache_creation_input_tokens: hostile, cache_creation: fc.oneof(hostile, fc.record({ ephemeral_5m_input_tokens: hostile, ephemeral_1h_input_tokens: hostile }, { requiredKeys: [] })) },
    { requiredKeys: [] },
  ),
);
// Budgets as an app might pass them by mistake, and sane ones (some small enough to refuse or stop).
const budgetValue = fc.oneof(hostile, fc.double({ min: 0, max: 0.001, noNaN: true }), fc.constantFrom(0, 0.0000001, 1, undefined));

type CallKind = 'openai' | 'openai stream' | 'anthropic';
const messages = [{ role: 'user', content: 'hello there' }];

function answerFor(kind: CallKind, usage: unknown): Answer {
  if (kind === 'openai') return { json: openaiChatJson('gpt-4o-mini', 'fine thanks', usage) };
  if (kind === 'openai stream') return { sse: openaiChatSse('gpt-4o-mini', ['fine ', 'thanks'], usage) };
  return { json: anthropicJson('claude-haiku-4-5', 'fine thanks', usage) };
}

async function call(app: InProcessApp, kind: CallKind): Promise<string> {
  if (kind === 'openai') return (await app.openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages })).choices[0].message.content;
  if (kind === 'openai stream') {
    let text = '';
    for await (const c of await app.openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages, stream: true })) text += c.choices[0]?.delta?.content ?? '';
    return text;
  }
  return (await app.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages })).content[0].text;
}

// The SDK's own diag.error for a span the app ends twice: expected here, and not costtrace's.
const SDK_DOUBLE_END = /You can only call end\(\) on a span once/;
const hookFailures = (app: InProcessApp) => app.errors.map((e) => e.map(String).join(' ')).filter((m) => !SDK_DOUBLE_END.test(m));

const isFiniteNonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** After each case: nothing open, every span ended once, no hook failed, every cost finite. */
function expectSound(app: InProcessApp): void {
  expect(app.openCalls()).toBe(0);
  for (const [id, n] of app.ended.ends) expect(n, `span ${id} ended ${n} times`).toBe(1);
  expect(hookFailures(app).slice(0, 3)).toEqual([]);
  for (const s of app.ended.spans) {
    // What costtrace writes: a cost it priced, rollups on any span; token counts on its own call spans (the app's spans,
    // and the Anthropic SDK's own, carry whatever they were given).
    const own = s.attributes['costtrace.call.outcome'] !== undefined;
    const priced = s.attributes['gen_ai.usage.cost.source'] === 'local';
    const keys = [...(priced ? ['gen_ai.usage.cost.amount'] : []), 'costtrace.subtree.cost_usd', 'costtrace.budget.spent_usd', 'costtrace.subtree.input_tokens', 'costtrace.subtree.output_tokens'];
    for (const key of own ? [...keys, 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens'] : keys) {
      const v = s.attributes[key];
      if (v !== undefined) expect(isFiniteNonNegative(v), `${s.name} ${key}=${String(v)}`).toBe(true);
    }
  }
  expect(app.tree.trackedSpans).toBe(0);
}

describe('hostile usage blocks and budget values through the real SDKs, codecs and processors', () => {
  let usage: unknown;
  let app: InProcessApp;
  beforeAll(() => {
    app = startInProcessApp((url) => answerFor(url.endsWith('/messages') ? 'anthropic' : kind, usage));
  });
  afterAll(() => app.close());
  let kind: CallKind = 'openai';

  it.each<[CallKind, fc.Arbitrary<unknown>]>([
    ['openai', openaiUsage],
    ['openai stream', openaiUsage],
    ['anthropic', anthropicUsage],
  ])('%s: the app gets its answer or a BudgetExceededError, and the run is charged what the call cost', async (k, usageArb) => {
    kind = k;
    await fc.assert(
      fc.asyncProperty(usageArb, budgetValue, async (u, budgetUsd) => {
        usage = u;
        app.ended.clear();
        let outcome: string;
        try {
          outcome = await withRun('hostile', budgetUsd === undefined ? {} : { budgetUsd: budgetUsd as number }, () => call(app, k));
        } catch (err) {
          // The only error the app may see is a budget's.
          if (!isBudgetExceededError(err)) throw err;
          outcome = 'budget';
        }
        if (outcome !== 'budget') expect(outcome).toBe('fine thanks');
        expectSound(app);
        const callSpan = app.ended.spans.find((s) => s.attributes['costtrace.call.outcome'] !== undefined);
        const runSpan = app.ended.spans.find((s) => s.name === 'invoke_workflow hostile')!;
        const spent = runSpan.attributes['costtrace.budget.spent_usd'];
        // A budget that took: the run is charged exactly the call's price (nothing when refused).
        if (spent !== undefined) expect(spent).toBeCloseTo(Number(callSpan?.attributes['gen_ai.usage.cost.amount'] ?? 0), 12);
      }),
      { numRuns: 150 },
    );
  });
});

describe('hostile attribute values on spans, spans ended twice', () => {
  let app: InProcessApp;
  beforeAll(() => {
    app = startInProcessApp(() => ({ json: openaiChatJson('gpt-4o-mini', 'fine thanks', { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }) }));
  });
  afterAll(() => app.close());
  const attrValue = fc.oneof(hostile.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)), fc.constant(undefined));
  const KEYS = [
    'costtrace.budget.limit_usd',
    'gen_ai.operation.name',
    'gen_ai.request.model',
    'gen_ai.response.model',
    'gen_ai.provider.name',
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cost.amount',
    'gen_ai.agent.name',
    'llm.token_count.prompt',
    'ai.usage.promptTokens',
  ];
  const attrs = fc.record(Object.fromEntries(KEYS.map((k) => [k, attrValue])) as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });

  it("an app's own spans with any attribute values, a foreign model-call span under them, everything ended twice: nothing throws, the tree empties", async () => {
    const tracer = app.provider.getTracer('hostile-app');
    await fc.assert(
      fc.asyncProperty(attrs, attrs, attrs, fc.boolean(), async (parentAttrs, childAttrs, lateAttrs, callUnder) => {
        app.ended.clear();
        const parent = tracer.startSpan('app step', { attributes: parentAttrs as Attributes });
        const ctx = trace.setSpan(context.active(), parent);
        const child = tracer.startSpan('foreign chat', { attributes: { 'gen_ai.operation.name': 'chat', ...(childAttrs as Attributes) } }, ctx);
        child.setAttributes(lateAttrs as Attributes);
        if (callUnder) {
          await context.with(ctx, async () => {
            try {
              await app.openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages });
            } catch (err) {
              if (!isBudgetExceededError(err)) throw err;
            }
          });
        }
        child.end();
        child.end();
        parent.setAttributes(lateAttrs as Attributes);
        parent.end();
        parent.end();
        expectSound(app);
      }),
      { numRuns: 200 },
    );
  });

  it('withRun and withAgent with hostile budgets and names, spans ended twice by the app: nothing throws', async () => {
    await fc.assert(
      fc.asyncProperty(budgetValue, budgetValue, fc.string({ maxLength: 12 }), async (runBudget, agentBudget, name) => {
        app.ended.clear();
        await withRun(name as string, { budgetUsd: runBudget as number }, (runSpan) =>
          withAgent(name as string, { budgetUsd: agentBudget as number }, async (agentSpan) => {
            try {
              await app.openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages });
            } catch (err) {
              if (!isBudgetExceededError(err)) throw err;
            }
            agentSpan.end();
            runSpan.end();
          }),
        );
        expectSound(app);
      }),
      { numRuns: 150 },
    );
  });
});

describe('processors called after shutdown', () => {
  it('the app keeps getting its answers, and direct calls into the shut-down processors throw nothing', async () => {
    const app = startInProcessApp(() => ({ json: openaiChatJson('gpt-4o-mini', 'still here', { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }) }));
    const tracer = app.provider.getTracer('after-shutdown');
    const early = tracer.startSpan('open at shutdown');
    await app.provider.shutdown();
    await app.cost.shutdown();
    await app.budget.shutdown();
    // The SDK still answers through the patched client, budgeted or not.
    const res = await withRun('after', { budgetUsd: 1 }, () => app.openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages }));
    expect(res.choices[0].message.content).toBe('still here');
    early.end();
    early.end();
    const late = tracer.startSpan('started after shutdown', { attributes: { 'gen_ai.operation.name': 'chat', 'costtrace.budget.limit_usd': 1 } });
    late.end();
    // Hooks called by hand on processors already shut down.
    for (const p of [app.cost, app.budget]) {
      expect(() => p.onStart(late as never, context.active())).not.toThrow();
      expect(() => (p as unknown as { onEnding?: (s: unknown) => void }).onEnding?.(late)).not.toThrow();
      expect(() => p.onEnd(late as never)).not.toThrow();
      await expect(p.forceFlush()).resolves.toBeUndefined();
      await expect(p.shutdown()).resolves.toBeUndefined();
    }
    expect(app.openCalls()).toBe(0);
    expect(hookFailures(app).slice(0, 3)).toEqual([]);
    await app.close();
  });
});
