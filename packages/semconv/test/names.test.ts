import { describe, expect, it } from 'vitest';
import * as semconv from '@costtrace/semconv';
import * as anthropic from '../src/anthropic';
import * as costtrace from '../src/costtrace';
import * as genAi from '../src/gen-ai';
import * as metrics from '../src/metrics';
import * as operationKind from '../src/operation-kind';
import * as readUsageModule from '../src/read-usage';
import * as usageDialects from '../src/usage-dialects';
import * as values from '../src/values';

const exported = Object.entries(semconv as Record<string, unknown>);
const withPrefix = (prefix: string) => exported.filter(([name]) => name.startsWith(prefix));
const NAME = /^[a-z0-9_.]+$/;

describe('exported names', () => {
  // Third-party usage names (`VERCEL_AI_*`, camelCase) are not `ATTR_*` on purpose.
  it.each(['ATTR_', 'METRIC_', 'EVENT_'])('gives every %s constant a unique lower-case dotted value', prefix => {
    const entries = withPrefix(prefix);
    expect(entries.length).toBeGreaterThan(0);
    for (const [name, value] of entries) {
      expect(typeof value, name).toBe('string');
      expect(value, name).toMatch(NAME);
    }
    const seen = new Map<unknown, string>();
    for (const [name, value] of entries) {
      expect(seen.get(value), `${name} repeats ${String(value)}`).toBeUndefined();
      seen.set(value, name);
    }
  });

  it('names every costtrace attribute, event and metric under costtrace.', () => {
    for (const [name, value] of [...withPrefix('ATTR_COSTTRACE_'), ...withPrefix('EVENT_COSTTRACE_'), ...withPrefix('METRIC_COSTTRACE_')]) {
      expect(value, name).toMatch(/^costtrace\./);
    }
  });

  it('names the run baggage entries under costtrace.run., each distinct', () => {
    const entries = withPrefix('BAGGAGE_COSTTRACE_');
    expect(entries.map(([, v]) => v).sort()).toEqual([
      'costtrace.run.id',
      'costtrace.run.limit_usd',
      'costtrace.run.name',
      'costtrace.run.on_exceed',
      'costtrace.run.scope',
      'costtrace.run.warn_ratio',
    ]);
  });

  it('puts money in USD attributes named …_usd', () => {
    const money = withPrefix('ATTR_COSTTRACE_').filter(([name]) => name.endsWith('_USD'));
    expect(money.map(([, value]) => value)).toEqual(
      expect.arrayContaining(['costtrace.cost.input_usd', 'costtrace.subtree.cost_usd', 'costtrace.budget.limit_usd']),
    );
    for (const [name, value] of money) expect(value, name).toMatch(/_usd$/);
  });

  it('re-exports everything each source file exports', () => {
    const modules = [anthropic, costtrace, genAi, metrics, operationKind, readUsageModule, usageDialects, values];
    for (const mod of modules) {
      for (const [name, value] of Object.entries(mod)) {
        expect((semconv as Record<string, unknown>)[name], name).toBe(value);
      }
    }
  });

  it('keeps the value constants of each enum distinct', () => {
    for (const prefix of [
      'PRICING_STATUS_VALUE_',
      'CALL_OUTCOME_VALUE_',
      'GEN_AI_OPERATION_NAME_VALUE_',
      'GEN_AI_PROVIDER_NAME_VALUE_',
      'BUDGET_ON_EXCEED_VALUE_',
    ]) {
      const valuesOfEnum = withPrefix(prefix).map(([, value]) => value);
      expect(valuesOfEnum.length, prefix).toBeGreaterThan(1);
      expect(new Set(valuesOfEnum).size, prefix).toBe(valuesOfEnum.length);
    }
  });

  it('gives run cost buckets from a tenth of a cent to a hundred dollars, ascending', () => {
    const buckets = semconv.RUN_COST_HISTOGRAM_BUCKETS_USD;
    expect(buckets[0]).toBe(0.001);
    expect(buckets[buckets.length - 1]).toBe(100);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]).toBeGreaterThan(buckets[i - 1] as number);
    expect(Object.isFrozen(buckets)).toBe(true);
  });
});

describe('isInferenceOperation', () => {
  it.each<[unknown, boolean]>([
    ['chat', true],
    ['text_completion', true],
    ['generate_content', true],
    ['embeddings', true],
    ['invoke_agent', false],
    ['invoke_workflow', false],
    ['execute_tool', false],
    ['create_agent', false],
    ['retrieval', false],
    ['responses', false],
    ['CHAT', false],
    [undefined, false],
    [42, false],
  ])('returns %s → %s', (operationName, expected) => {
    expect(semconv.isInferenceOperation(operationName)).toBe(expected);
  });
});
