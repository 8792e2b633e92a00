import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, propagation } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { withAgent } from '@costtrace/core';
import { ATTR_COSTTRACE_BUDGET_SCOPE } from '@costtrace/semconv';
import { isBudgetExceededError } from '../src/index';
import { setup } from './support';

let env: ReturnType<typeof setup> | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
  delete process.env.COSTTRACE_BUDGETS_FILE;
});

// Each call: gpt-4o-mini, 1000 input tokens and at most 100 output:
// reserved 1000 × $0.15/M + 100 × $0.60/M = $0.00021, and settled at the same when it uses them all.
const USAGE = { inputTokens: 1000, outputTokens: 100 };

function clock(iso: string) {
  let now = Date.parse(iso);
  return { now: () => now, set: (to: string) => (now = Date.parse(to)), advance: (ms: number) => (now += ms) };
}

/** Runs one whole call as agent `agent`; returns 'sent' or the refusal's scope name. */
function callAs(e: ReturnType<typeof setup>, agent: string | undefined, model = 'gpt-4o-mini'): string {
  const once = (): string => {
    try {
      const c = e.call(undefined, { model });
      c.recordUsage(USAGE, false);
      c.end({ finishReasons: ['stop'] });
      return 'sent';
    } catch (err) {
      if (!isBudgetExceededError(err)) throw err;
      return `refused by ${err.scope.name}: limit ${err.limitUsd}, spent ${err.spentUsd}`;
    }
  };
  return agent === undefined ? once() : withAgent(agent, { tracer: e.tracer }, once);
}

describe('standing budgets', () => {
  it("refuses one agent's calls once its daily budget is spent, lets other agents go on, and lets it through again the next UTC day", () => {
    const time = clock('2026-11-29T23:00:00.000Z');
    env = setup({ now: time.now, standingBudgets: [{ name: 'support-daily', limitUsd: 0.0005, window: '1d', by: 'agent', value: 'support' }] });
    // $0.00021 + $0.00021 = $0.00042 ≤ $0.0005; a third would make $0.00063.
    expect([callAs(env, 'support'), callAs(env, 'support'), callAs(env, 'support')]).toEqual([
      'sent',
      'sent',
      'refused by standing support-daily support: limit 0.0005, spent 0.00042',
    ]);
    expect(env.ended('chat gpt-4o-mini').attributes[ATTR_COSTTRACE_BUDGET_SCOPE]).toBeUndefined();
    expect(env.collector.spans.filter((s) => s.attributes[ATTR_COSTTRACE_BUDGET_SCOPE] === 'standing support-daily support')).toHaveLength(1);
    expect([callAs(env, 'research'), callAs(env, undefined)]).toEqual(['sent', 'sent']);
    time.set('2026-11-29T23:59:59.999Z');
    expect(callAs(env, 'support')).toMatch(/^refused/);
    time.set('2026-11-30T00:00:00.000Z');
    expect(callAs(env, 'support')).toBe('sent');
  });

  it('keys a budget by each value on its own when no value is named (per model)', () => {
    const time = clock('2026-11-29T12:00:00.000Z');
    env = setup({ now: time.now, standingBudgets: [{ name: 'per-model', limitUsd: 0.0003, window: '1h', by: 'model' }] });
    // gpt-4o-mini: $0.00021, then $0.00042 > $0.0003. gpt-4.1-nano has its own $0.0003: 1000 × $0.10/M + 100 × $0.40/M = $0.00014.
    expect([callAs(env, 'a'), callAs(env, 'b'), callAs(env, 'a', 'gpt-4.1-nano')]).toEqual([
      'sent',
      'refused by standing per-model gpt-4o-mini: limit 0.0003, spent 0.00021',
      'sent',
    ]);
    time.advance(3_600_000);
    expect(callAs(env, 'a')).toBe('sent');
  });

  it('keys a budget by a baggage entry (a tenant id); a call without the entry is not under it', () => {
    const time = clock('2026-11-29T12:00:00.000Z');
    env = setup({ now: time.now, standingBudgets: [{ name: 'tenant', limitUsd: 0.0003, window: '1mo', by: 'baggage:tenant.id' }] });
    const e = env;
    const asTenant = (tenant: string): string =>
      context.with(propagation.setBaggage(context.active(), propagation.createBaggage({ 'tenant.id': { value: tenant } })), () => callAs(e, undefined));
    expect([asTenant('acme'), asTenant('acme'), asTenant('globex'), callAs(e, undefined)]).toEqual([
      'sent',
      'refused by standing tenant acme: limit 0.0003, spent 0.00021',
      'sent',
      'sent',
    ]);
    time.set('2026-12-01T00:00:00.000Z');
    expect(asTenant('acme')).toBe('sent');
  });

  it('rolls a window bucket by bucket: spend leaves an hour-long rolling window with its five-minute bucket', () => {
    const time = clock('2026-11-29T20:00:00.000Z');
    env = setup({ now: time.now, standingBudgets: [{ name: 'hourly', limitUsd: 0.0005, window: '1h', rolling: true, by: 'agent' }] });
    expect(callAs(env, 'support')).toBe('sent'); // bucket 20:00: $0.00021
    time.set('2026-11-29T20:05:00.000Z');
    expect(callAs(env, 'support')).toBe('sent'); // bucket 20:05: $0.00021, $0.00042 in the window
    time.set('2026-11-29T20:55:00.000Z');
    // The 20:05 bucket's $0.00021 and the 20:00 one's still count: $0.00008 left of $0.0005.
    expect(callAs(env, 'support')).toBe('refused by standing hourly support: limit 0.0005, spent 0');
    time.set('2026-11-29T21:00:00.000Z');
    // The 20:00 bucket has left the window: $0.00029 left.
    expect(callAs(env, 'support')).toBe('sent');
    time.set('2026-11-29T21:01:00.000Z');
    expect(callAs(env, 'support')).toMatch(/^refused/);
  });

  it('holds at the same time as a span budget: a call reserves against both', () => {
    const time = clock('2026-11-29T12:00:00.000Z');
    env = setup({ now: time.now, standingBudgets: [{ name: 'daily', limitUsd: 1, window: '1d', by: 'provider' }] });
    const e = env;
    const refusal = withAgent('tight', { tracer: e.tracer, budgetUsd: 0.0003 }, () => [callAs(e, undefined), callAs(e, undefined)]);
    expect(refusal).toEqual(['sent', 'refused by invoke_agent tight: limit 0.0003, spent 0.00021']);
  });

  it('falls back to Date.now, saying so once, when the clock gives no time; the call still goes through its budget', () => {
    env = setup({ now: () => Number.NaN, standingBudgets: [{ name: 'daily', limitUsd: 0.0003, window: '1d', by: 'provider' }] });
    expect([callAs(env, 'a'), callAs(env, 'a')]).toEqual(['sent', 'refused by standing daily openai: limit 0.0003, spent 0.00021']);
    expect(env.log.warnings).toEqual(['BudgetSpanProcessor: the now option gave NaN, not epoch milliseconds; standing budget windows use Date.now']);
    expect(env.log.errors).toEqual([]);
  });

  it('reads budgets from COSTTRACE_BUDGETS_FILE, skipping a bad entry with one message naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costtrace-budgets-'));
    const file = join(dir, 'budgets.json');
    writeFileSync(
      file,
      JSON.stringify({
        budgets: [
          { name: 'tenant-daily', limitUsd: 0.0003, window: '1d', by: 'baggage:tenant.id' },
          { name: 'bad', limitUsd: -1, window: '1d', by: 'agent' },
          { name: 'typo', limitUsd: 1, window: '1w', by: 'agent' },
          { name: 'extra', limitUsd: 1, window: '1d', by: 'agent', limitUSD: 2 },
        ],
      }),
    );
    process.env.COSTTRACE_BUDGETS_FILE = file;
    env = setup();
    expect(env.log.warnings).toEqual([
      `BudgetSpanProcessor: standing budget #1 of ${file}: "bad": limitUsd -1 is not a number in [0, 1000000000000]; it is not enforced`,
      `BudgetSpanProcessor: standing budget #2 of ${file}: "typo": window "1w" is not one of 1h, 1d, 7d, 1mo; it is not enforced`,
      `BudgetSpanProcessor: standing budget #3 of ${file}: "extra": unknown field limitUSD (a typo?); it is not enforced`,
    ]);
  });

  it('says once what is wrong with a file that cannot be read or parsed, and does not crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'costtrace-budgets-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "budgets": [');
    process.env.COSTTRACE_BUDGETS_FILE = broken;
    env = setup();
    expect(env.log.warnings).toHaveLength(1);
    expect(env.log.warnings[0]).toMatch(new RegExp(`^BudgetSpanProcessor: COSTTRACE_BUDGETS_FILE=${broken.replace(/[.]/g, '\\.')} is not valid JSON \\(.+\\); its standing budgets are not enforced$`));
    expect(callAs(env, 'x')).toBe('sent');
    void env.cleanup();
    process.env.COSTTRACE_BUDGETS_FILE = join(dir, 'missing.json');
    env = setup();
    expect(env.log.warnings).toEqual([`BudgetSpanProcessor: COSTTRACE_BUDGETS_FILE=${join(dir, 'missing.json')} cannot be read (ENOENT); its standing budgets are not enforced`]);
  });
});
