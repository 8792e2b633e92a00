import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { AlwaysOffSampler, AlwaysOnSampler, SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { RecordAllSampler } from '../src/record-all-sampler';

const sample = (s: RecordAllSampler) => s.shouldSample(ROOT_CONTEXT, 'a'.repeat(32), 'x', SpanKind.INTERNAL, {}, []).decision;

describe('RecordAllSampler', () => {
  it('records what the delegate drops, without sampling it (so it is never exported)', () => {
    expect(sample(new RecordAllSampler(new AlwaysOffSampler()))).toBe(SamplingDecision.RECORD);
  });

  it('keeps what the delegate samples', () => {
    expect(sample(new RecordAllSampler(new AlwaysOnSampler()))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('keeps the delegate rate and names it', () => {
    const s = new RecordAllSampler(new TraceIdRatioBasedSampler(0));
    expect(sample(s)).toBe(SamplingDecision.RECORD);
    expect(s.toString()).toBe('RecordAllSampler{TraceIdRatioBased{0}}');
  });
});
