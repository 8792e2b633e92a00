import { propagation, type DiagLogger, type TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';

const WHY = "a run's budget (the costtrace.run.* baggage entries set by withRun) does not travel to the services it calls";

/**
 * A run's budget travels in W3C baggage. `register`'s own propagators include it by default
 * (`OTEL_PROPAGATORS=tracecontext,baggage`); an app's own setup (a NodeSDK registered first) may
 * lack it: when the app did not choose its propagators (`OTEL_PROPAGATORS` unset), W3C baggage is
 * added beside the app's propagator; when it chose them without baggage, one warning says what
 * that costs. Never throws.
 */
export function ensureBaggagePropagation(env: NodeJS.ProcessEnv, log: DiagLogger): void {
  try {
    if (propagation.fields().includes('baggage')) return;
    const chosen = env.OTEL_PROPAGATORS?.trim();
    // PropagationAPI keeps the registered propagator behind a method that is private in its
    // types only (@opentelemetry/api 1.x); without it nothing can be composed.
    const current = (propagation as unknown as { _getGlobalPropagator?: () => TextMapPropagator })._getGlobalPropagator?.();
    if (chosen || current === undefined) {
      log.warn(`costtrace: the propagators in use do not include W3C baggage${chosen ? ` (OTEL_PROPAGATORS=${chosen})` : ''}; ${WHY}`);
      return;
    }
    propagation.disable();
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [current, new W3CBaggagePropagator()] }));
  } catch (err) {
    log.warn(`costtrace: could not check the propagators for W3C baggage (${err instanceof Error ? err.message : String(err)}); ${WHY}`);
  }
}
