import { propagation, type DiagLogger } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureBaggagePropagation } from '../src/baggage-propagation';

function logger() {
  const warnings: string[] = [];
  const noop = () => {};
  const log: DiagLogger = { warn: (m: string) => warnings.push(m), error: noop, info: noop, debug: noop, verbose: noop };
  return { log, warnings };
}

afterEach(() => propagation.disable());

describe('W3C baggage propagation for run budgets', () => {
  it("adds W3C baggage beside an app's own propagator when the app did not choose its propagators", () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const { log, warnings } = logger();
    ensureBaggagePropagation({}, log);
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
    expect(warnings).toEqual([]);
  });

  it('leaves propagators that carry baggage as they are', () => {
    const own = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
    propagation.setGlobalPropagator(own);
    const { log, warnings } = logger();
    ensureBaggagePropagation({}, log);
    expect((propagation as unknown as { _getGlobalPropagator(): unknown })._getGlobalPropagator()).toBe(own);
    expect(warnings).toEqual([]);
  });

  it('warns once, and changes nothing, when the app chose propagators without baggage', () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const { log, warnings } = logger();
    ensureBaggagePropagation({ OTEL_PROPAGATORS: 'tracecontext' }, log);
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate']);
    expect(warnings).toEqual([
      "costtrace: the propagators in use do not include W3C baggage (OTEL_PROPAGATORS=tracecontext); a run's budget (the costtrace.run.* baggage entries set by withRun) does not travel to the services it calls",
    ]);
  });
});
