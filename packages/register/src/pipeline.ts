import {
  context,
  metrics,
  propagation,
  trace,
  type DiagLogger,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  setGlobalErrorHandler,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPHttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter as OTLPMetricJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  ConsoleMetricExporter,
  MeterProvider,
  type MetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { defaultResource, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { createCostProcessors, type BudgetSpanProcessorOptions } from '@costtrace/budget-span-processor';
import { endOpenCalls, isBoolean, parseBoolean, resolveOption } from '@costtrace/pipeline';
import type { CostSpanProcessorOptions } from '@costtrace/cost-span-processor';
import { AnthropicInstrumentation } from '@costtrace/instrumentation-anthropic';
import { FetchInstrumentation, type FetchInstrumentationConfig } from '@costtrace/instrumentation-fetch';
import { frameworkInstrumentations } from '@costtrace/instrumentation-frameworks';
import { BedrockInstrumentation } from '@costtrace/instrumentation-bedrock';
import { OpenAIInstrumentation } from '@costtrace/instrumentation-openai';
import { backgroundAgent } from './background-agent';
import { BackgroundMetricReader } from './background-metric-reader';
import { withSharedStore } from './budget-store';
import { DetachedSpanExporter } from './detached-span-exporter';
import type { EnvSettings } from './env';
import { ExportErrors, otlpUrl } from './export-errors';
import { ensureBaggagePropagation } from './baggage-propagation';
import { FileSpanExporter } from './file-span-exporter';
import { attachToForeignProvider, foreignMeterProviderRegistered, foreignTracerProvider } from './foreign-provider';
import { RecordAllSampler } from './record-all-sampler';
import { ScrapeEndpoint } from './scrape-endpoint';

const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/traces';

/** Options of {@link registerCostTracing}; each falls back to its `OTEL_*` variable. */
export interface RegisterOptions {
  /** `service.name`. @default env `OTEL_SERVICE_NAME`, else the SDK's default */
  serviceName?: string;
  /** The sampler to wrap (dropped spans are still recorded, never exported). @default from `OTEL_TRACES_SAMPLER` */
  sampler?: Sampler;
  /** The span exporter. @default OTLP/HTTP per `OTEL_EXPORTER_OTLP_*`, or per `OTEL_TRACES_EXPORTER` */
  traceExporter?: SpanExporter;
  /** Processors run before costtrace's own and the batch exporter. @default [] */
  spanProcessors?: SpanProcessor[];
  /**
   * Options of the BudgetSpanProcessor (budgets from `costtrace.budget.*` span attributes),
   * or `false` for no budget enforcement. @default {} (its own env variables apply)
   */
  budgets?: BudgetSpanProcessorOptions | false;
  /** Options of the CostSpanProcessor (prices calls, rolls cost up the trace). @default {} (its own env variables apply) */
  costs?: CostSpanProcessorOptions;
  /**
   * The wire-level instrumentation of the global `fetch` (the Vercel AI SDK, Mastra, `@google/genai`,
   * plain fetch): its options, or `false` for none. @default {} (on; env `COSTTRACE_FETCH_ENABLED=false` turns it off)
   */
  fetch?: FetchInstrumentationConfig | false;
  /** Record prompt and completion text on spans. @default env `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` */
  captureMessageContent?: boolean;
  /**
   * Also write every span to this file, as the Collector's `file` exporter writes it (OTLP JSON, one
   * export request per line; appended to), for `costtrace report` or the Collector's `otlpjsonfile`
   * receiver. Beside the trace exporter, not instead of it.
   * @default env `COSTTRACE_TRACES_FILE`, else none
   */
  tracesFile?: string;
  /** Flush spans on `beforeExit`, SIGTERM and SIGINT. @default true */
  flushOnExit?: boolean;
  /** Install the ESM loader hook so `import`ed SDKs are patched too. @default true */
  esmLoaderHook?: boolean;
}

/** What {@link registerCostTracing} set up. */
export interface CostTracing {
  readonly tracerProvider: TracerProvider;
  /** Undefined when `OTEL_METRICS_EXPORTER=none`. */
  readonly meterProvider: MeterProvider | undefined;
  /** Exports every finished span now. */
  forceFlush(): Promise<void>;
  /** Flushes, then shuts the pipeline down and removes the instrumentations. */
  shutdown(): Promise<void>;
}

/** What {@link buildPipeline} set up; `ownsTracerProvider` is false when it joined the app's own provider. */
export interface Pipeline {
  tracing: CostTracing | undefined;
  ownsTracerProvider: boolean;
}

export function buildPipeline(options: RegisterOptions, env: EnvSettings, log: DiagLogger): Pipeline {
  const foreign = foreignTracerProvider();
  if (foreign !== undefined) return joinForeignProvider(foreign, options, env, log);
  return { tracing: buildOwnPipeline(options, env, log), ownsTracerProvider: true };
}

/** The app registered its own tracer provider first (`--import ./otel.mjs --import @costtrace/register`). */
function joinForeignProvider(foreign: object, options: RegisterOptions, env: EnvSettings, log: DiagLogger): Pipeline {
  const exportErrors = new ExportErrors(log, { spans: otlpUrl(process.env, 'traces'), metrics: otlpUrl(process.env, 'metrics') });
  const meterProvider = foreignMeterProviderRegistered() ? undefined : buildMeterProvider(buildResource(options), env, exportErrors);
  const attachment = attachToForeignProvider(foreign, options, meterProvider, buildInstrumentations(options), log);
  const tracesFile = resolveTracesFile(options);
  if (tracesFile !== undefined) {
    log.warn(
      `costtrace: spans are not written to ${tracesFile} (COSTTRACE_TRACES_FILE / tracesFile): the exporters are those of the tracer provider registered before @costtrace/register; add a FileSpanExporter (from @costtrace/register/setup) to it`,
    );
  }
  if (attachment.kind !== 'attached') {
    if (attachment.kind === 'already-set-up') log.info('costtrace: the registered tracer provider already has costtrace\'s processors; @costtrace/register adds nothing');
    void meterProvider?.shutdown();
    return { tracing: undefined, ownsTracerProvider: false };
  }
  if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);
  ensureBaggagePropagation(process.env, log);
  const forceFlush = async (): Promise<void> => {
    await Promise.all([attachment.forceFlush(), meterProvider?.forceFlush()]);
  };
  return {
    ownsTracerProvider: false,
    tracing: {
      tracerProvider: attachment.provider,
      meterProvider,
      forceFlush,
      shutdown: async () => {
        endOpenCalls();
        await forceFlush();
        await meterProvider?.shutdown();
      },
    },
  };
}

function buildInstrumentations(options: RegisterOptions): Instrumentation[] {
  const config = options.captureMessageContent === undefined ? {} : { captureMessageContent: options.captureMessageContent };
  const instrumentations: Instrumentation[] = [new OpenAIInstrumentation(config), new AnthropicInstrumentation(config), new BedrockInstrumentation(config), ...frameworkInstrumentations()];
  const fetchOn = resolveOption(
    { name: 'fetch', env: 'COSTTRACE_FETCH_ENABLED', parse: parseBoolean, valid: isBoolean, fallback: true, component: 'costtrace' },
    options.fetch === false ? false : undefined,
    process.env,
  );
  if (fetchOn) instrumentations.push(new FetchInstrumentation({ ...config, ...(options.fetch || {}) }));
  return instrumentations;
}

function buildOwnPipeline(options: RegisterOptions, env: EnvSettings, log: DiagLogger): CostTracing {
  const resource = buildResource(options);
  const exportErrors = new ExportErrors(log, { spans: otlpUrl(process.env, 'traces'), metrics: otlpUrl(process.env, 'metrics') });
  // The SDK's default handler logs each failed export as a JSON stack dump.
  setGlobalErrorHandler((err) => exportErrors.handle(err));
  const builtExporter = options.traceExporter ?? buildExporter(env, log);
  const exporter = builtExporter && new DetachedSpanExporter(exportErrors.wrap(builtExporter));
  const fileExporter = buildFileExporter(options);
  const sampler = new RecordAllSampler(options.sampler ?? buildSampler(env, log));
  // Built first and handed to the processors: the BudgetSpanProcessor takes the
  // global meter provider at construction, before it would be set here.
  const meterProvider = buildMeterProvider(resource, env, exportErrors);
  // Order matters only in onEnding: costtrace's processors write their attributes there,
  // before the batch processor's onEnd hands the span to the exporter.
  const metered = meterProvider ? { meterProvider } : {};
  // The two processors share what they know of each call (its one price), handed to both here.
  const processors = createCostProcessors({
    costs: { ...metered, ...options.costs },
    budgets: options.budgets === false ? false : { ...metered, ...withSharedStore(options.budgets, process.env) },
  });
  const tracerProvider = new TracerProvider({
    resource,
    spanLimits: env.spanLimits,
    sampler: sampler as unknown as Sampler,
    spanProcessors: [
      ...(options.spanProcessors ?? []),
      ...(processors.spanProcessors as unknown as SpanProcessor[]),
      ...(exporter ? [new BatchSpanProcessor({ exporter, ...env.batch })] : []),
      ...(fileExporter ? [new BatchSpanProcessor({ exporter: fileExporter, ...env.batch })] : []),
    ],
  });

  if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(buildPropagator(env.propagators, log));
  ensureBaggagePropagation(process.env, log);
  trace.setGlobalTracerProvider(tracerProvider);
  const uninstall = processors.install();

  const unregister = registerInstrumentations({ instrumentations: buildInstrumentations(options), tracerProvider });

  const forceFlush = async (): Promise<void> => {
    // The batch processor's flush hands its spans on; the exporter's drain sends them.
    await Promise.all([tracerProvider.forceFlush().then(() => exporter?.drain()), meterProvider?.forceFlush()]);
  };
  let shut: Promise<void> | undefined;
  return {
    tracerProvider,
    meterProvider,
    forceFlush,
    shutdown: () => {
      shut ??= (async () => {
        endOpenCalls();
        await forceFlush();
        unregister();
        await Promise.all([tracerProvider.shutdown(), meterProvider?.shutdown()]);
        uninstall();
      })();
      return shut;
    },
  };
}

function buildFileExporter(options: RegisterOptions): FileSpanExporter | undefined {
  const path = resolveTracesFile(options);
  return path === undefined ? undefined : new FileSpanExporter({ path });
}

function resolveTracesFile(options: RegisterOptions): string | undefined {
  return resolveOption(
    { name: 'tracesFile', env: 'COSTTRACE_TRACES_FILE', parse: (text) => text, valid: isPath, fallback: undefined, component: 'costtrace' },
    options.tracesFile,
    process.env,
  );
}

function isPath(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function buildResource(options: RegisterOptions): Resource {
  // envDetector reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
  let resource = defaultResource().merge(resourceFromAttributes(envDetector.detect().attributes ?? {}));
  if (options.serviceName) resource = resource.merge(resourceFromAttributes({ 'service.name': options.serviceName }));
  return resource;
}

function buildExporter(env: EnvSettings, log: DiagLogger): SpanExporter | undefined {
  if (env.tracesExporter === 'none') return undefined;
  if (env.tracesExporter === 'console') return new ConsoleSpanExporter();
  if (!env.endpointSet) {
    log.warn(
      `costtrace: no OTLP endpoint set; spans go to ${DEFAULT_ENDPOINT} (${env.protocol}). ` +
        'Set OTEL_EXPORTER_OTLP_ENDPOINT to send them to your collector.',
    );
  }
  const config = { httpAgentOptions: backgroundAgent };
  return env.protocol === 'http/json' ? new OTLPHttpJsonExporter(config) : new OTLPHttpProtoExporter(config);
}

function buildMeterProvider(resource: Resource, env: EnvSettings, exportErrors: ExportErrors): MeterProvider | undefined {
  if (env.metricsExporter === 'none') return undefined;
  if (env.metricsExporter === 'prometheus') {
    // A pull reader serving /metrics at OTEL_EXPORTER_PROMETHEUS_HOST:PORT; it never keeps the app alive.
    return new MeterProvider({ resource, readers: [new ScrapeEndpoint(process.env) as unknown as MetricReader] });
  }
  let exporter: PushMetricExporter;
  if (env.metricsExporter === 'console') exporter = new ConsoleMetricExporter();
  else {
    const config = { httpAgentOptions: backgroundAgent };
    exporter = env.metricsProtocol === 'http/json' ? new OTLPMetricJsonExporter(config) : new OTLPMetricProtoExporter(config);
  }
  const reader = new BackgroundMetricReader(exporter, env.metricExportIntervalMs, (result) => exportErrors.observe('metrics', result));
  return new MeterProvider({ resource, readers: [reader] });
}

function buildSampler(env: EnvSettings, log: DiagLogger): Sampler {
  const ratio = (): number => {
    const value = env.samplerArg === undefined ? 1 : Number(env.samplerArg);
    if (Number.isFinite(value) && value >= 0 && value <= 1) return value;
    log.warn(`costtrace: OTEL_TRACES_SAMPLER_ARG="${env.samplerArg}" is not a ratio in [0, 1]; using 1`);
    return 1;
  };
  switch (env.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    default:
      log.warn(`costtrace: OTEL_TRACES_SAMPLER="${env.sampler}" is not supported; using parentbased_always_on`);
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function buildPropagator(names: string[], log: DiagLogger): TextMapPropagator {
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === 'tracecontext') propagators.push(new W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new W3CBaggagePropagator());
    else if (name !== 'none') log.warn(`costtrace: OTEL_PROPAGATORS entry "${name}" is not supported; skipped`);
  }
  return new CompositePropagator({ propagators });
}

