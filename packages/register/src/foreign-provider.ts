import { metrics, ProxyTracerProvider, trace, type DiagLogger } from '@opentelemetry/api';
import { createCostProcessors } from '@costtrace/budget-span-processor';
import { withSharedStore } from './budget-store';
import { setCallGate } from '@costtrace/pipeline';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { RegisterOptions } from './pipeline';
import { RefusingGate } from './refusing-gate';

/** A provider the shape of `@opentelemetry/sdk-trace(-base)` 2.x and `@opentelemetry/sdk-trace` 3.x. */
interface SdkTracerProvider {
  forceFlush(): Promise<void>;
  _activeSpanProcessor?: { _spanProcessors?: unknown };
}

/** The tracer provider registered globally before costtrace (an app's own NodeSDK), if any. */
export function foreignTracerProvider(): object | undefined {
  // The API hands out its global proxy; with nothing registered, the proxy's delegate is the
  // API's no-op provider, the same object a fresh proxy of this copy of the API delegates to.
  const registered = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = registered.getDelegate?.() ?? registered;
  if (delegate === new ProxyTracerProvider().getDelegate()) return undefined;
  return typeof delegate === 'object' && delegate !== null ? delegate : undefined;
}

/** Whether a meter provider was registered globally before costtrace. */
export function foreignMeterProviderRegistered(): boolean {
  // With nothing registered the API returns its no-op provider (not exported, so known by name).
  return metrics.getMeterProvider().constructor.name !== 'NoopMeterProvider';
}

/**
 * The span processors of an SDK tracer provider. SDK 2.x removed
 * `addSpanProcessor`; both 2.x and 3.x keep the processors in
 * `_activeSpanProcessor._spanProcessors`, an array the provider's tracers read
 * on every span, so a processor added there sees every span from then on.
 */
function processorList(provider: object): unknown[] | undefined {
  const list = (provider as SdkTracerProvider)._activeSpanProcessor?._spanProcessors;
  return Array.isArray(list) ? list : undefined;
}

const PROCESSOR_NAMES = new Set(['CostSpanProcessor', 'BudgetSpanProcessor']);

export type Attachment =
  | { kind: 'already-set-up' }
  | { kind: 'attached'; provider: TracerProvider; forceFlush: () => Promise<void> }
  | { kind: 'unknown-provider'; uninstall: () => void };

/**
 * Adds costtrace's processors to a tracer provider the app registered before
 * costtrace, and points the instrumentations at it, so costs roll up and
 * budgets hold on the app's own spans. Says once what to do instead.
 */
export function attachToForeignProvider(
  provider: object,
  options: RegisterOptions,
  meterProvider: MeterProvider | undefined,
  instrumentations: Instrumentation[],
  log: DiagLogger,
): Attachment {
  const list = processorList(provider);
  if (list?.some((p) => PROCESSOR_NAMES.has((p as object)?.constructor?.name ?? ''))) return { kind: 'already-set-up' };
  const fix =
    "add createCostProcessors().spanProcessors (from @costtrace/budget-span-processor) to your own NodeSDK and call its install() (see the @costtrace/register README) " +
    'instead of loading @costtrace/register, or load @costtrace/register before your own setup';
  if (list === undefined || typeof (provider as SdkTracerProvider).forceFlush !== 'function') {
    log.error(
      `costtrace: a tracer provider of another kind was registered before @costtrace/register; costtrace cannot see its spans, so costs do not roll up, budgets set on them are not seen, and calls under a withRun/withAgent budget are refused. To fix it, ${fix}.`,
    );
    // Model calls still get their spans (in that provider), and never pass a budget unchecked.
    registerInstrumentations({ instrumentations });
    const uninstall = setCallGate(new RefusingGate(`costtrace cannot count spend here (a tracer provider of another kind was registered first); ${fix}`));
    return { kind: 'unknown-provider', uninstall };
  }
  const shared = meterProvider ? { meterProvider } : { meterProvider: metrics.getMeterProvider() };
  const processors = createCostProcessors({
    costs: { ...shared, ...options.costs },
    budgets: options.budgets === false ? false : { ...shared, ...withSharedStore(options.budgets, process.env) },
  });
  // First, so they write their attributes before any of the app's processors reads the span.
  list.unshift(...processors.spanProcessors);
  processors.install();
  const tracerProvider = provider as unknown as TracerProvider;
  registerInstrumentations({ instrumentations, tracerProvider });
  log.warn(
    `costtrace: a tracer provider was registered before @costtrace/register (your own NodeSDK?); costtrace added its processors to it, so costs roll up and budgets hold, but its sampler and exporter stay yours. To set this up explicitly, ${fix}.`,
  );
  return { kind: 'attached', provider: tracerProvider, forceFlush: () => (provider as SdkTracerProvider).forceFlush() };
}

