import { DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** The standard OTEL_* variables register reads itself (exporters read their own). */
export interface EnvSettings {
  disabled: boolean;
  logLevel: DiagLogLevel;
  tracesExporter: 'otlp' | 'console' | 'none';
  protocol: 'http/protobuf' | 'http/json';
  /** True when an OTLP traces endpoint is set (generic or signal-specific). */
  endpointSet: boolean;
  sampler: string;
  samplerArg: string | undefined;
  /** `prometheus`: a scrape endpoint at OTEL_EXPORTER_PROMETHEUS_HOST:PORT (the exporter reads them). */
  metricsExporter: 'otlp' | 'console' | 'prometheus' | 'none';
  metricsProtocol: 'http/protobuf' | 'http/json';
  /** OTEL_METRIC_EXPORT_INTERVAL, ms. */
  metricExportIntervalMs: number;
  /** OTEL_BSP_*: the batch span processor's settings (`@opentelemetry/sdk-trace` no longer reads them itself). */
  batch: BatchSettings;
  /** OTEL_SPAN_* / OTEL_ATTRIBUTE_* limits, likewise no longer read by the SDK itself. */
  spanLimits: SpanLimitSettings;
  propagators: string[];
}

export interface BatchSettings {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

const BSP_VARIABLES: Array<[keyof BatchSettings, string]> = [
  ['scheduledDelayMillis', 'OTEL_BSP_SCHEDULE_DELAY'],
  ['exportTimeoutMillis', 'OTEL_BSP_EXPORT_TIMEOUT'],
  ['maxQueueSize', 'OTEL_BSP_MAX_QUEUE_SIZE'],
  ['maxExportBatchSize', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'],
];

export interface SpanLimitSettings {
  attributeCountLimit?: number;
  attributeValueLengthLimit?: number;
  eventCountLimit?: number;
  linkCountLimit?: number;
}

// The span-specific variable wins over the general one, as the OTel specification says.
const LIMIT_VARIABLES: Array<[keyof SpanLimitSettings, string[]]> = [
  ['attributeCountLimit', ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT']],
  ['attributeValueLengthLimit', ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT']],
  ['eventCountLimit', ['OTEL_SPAN_EVENT_COUNT_LIMIT']],
  ['linkCountLimit', ['OTEL_SPAN_LINK_COUNT_LIMIT']],
];

const LOG_LEVELS: Record<string, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Reads the settings; a value it cannot use is replaced by the default and
 * reported through `warn` once, never thrown.
 */
export function readEnv(env: NodeJS.ProcessEnv, warn: (message: string) => void): EnvSettings {
  const levelName = read(env, 'OTEL_LOG_LEVEL')?.toLowerCase();
  let logLevel = DiagLogLevel.WARN;
  if (levelName !== undefined) {
    const parsed = LOG_LEVELS[levelName];
    if (parsed === undefined) warn(`OTEL_LOG_LEVEL="${levelName}" is not a log level; using warn`);
    else logLevel = parsed;
  }

  const exporterName = (read(env, 'OTEL_TRACES_EXPORTER') ?? 'otlp').split(',')[0]!.trim().toLowerCase();
  let tracesExporter: EnvSettings['tracesExporter'] = 'otlp';
  if (exporterName === 'console' || exporterName === 'none' || exporterName === 'otlp') tracesExporter = exporterName;
  else warn(`OTEL_TRACES_EXPORTER="${exporterName}" is not supported by @costtrace/register; using otlp`);

  const protocol = readProtocol(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', warn);
  const metricsProtocol = readProtocol(env, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', warn);

  const metricsName = (read(env, 'OTEL_METRICS_EXPORTER') ?? 'otlp').split(',')[0]!.trim().toLowerCase();
  let metricsExporter: EnvSettings['metricsExporter'] = 'otlp';
  if (metricsName === 'console' || metricsName === 'none' || metricsName === 'otlp' || metricsName === 'prometheus') metricsExporter = metricsName;
  else warn(`OTEL_METRICS_EXPORTER="${metricsName}" is not supported by @costtrace/register; using otlp`);

  const intervalText = read(env, 'OTEL_METRIC_EXPORT_INTERVAL');
  let metricExportIntervalMs = 60_000;
  if (intervalText !== undefined) {
    const parsed = Number(intervalText);
    if (Number.isInteger(parsed) && parsed > 0) metricExportIntervalMs = parsed;
    else warn(`OTEL_METRIC_EXPORT_INTERVAL="${intervalText}" is not a positive integer; using 60000`);
  }

  const batch: BatchSettings = {};
  for (const [key, name] of BSP_VARIABLES) {
    const text = read(env, name);
    if (text === undefined) continue;
    const value = Number(text);
    if (Number.isInteger(value) && value > 0) batch[key] = value;
    else warn(`${name}="${text}" is not a positive integer; the SDK default applies`);
  }

  const spanLimits: SpanLimitSettings = {};
  for (const [key, names] of LIMIT_VARIABLES) {
    for (const name of names) {
      const text = read(env, name);
      if (text === undefined) continue;
      const value = Number(text);
      if (Number.isInteger(value) && value >= 0) spanLimits[key] = value;
      else warn(`${name}="${text}" is not a non-negative integer; the SDK default applies`);
      break;
    }
  }

  return {
    batch,
    spanLimits,
    disabled: read(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true',
    logLevel,
    tracesExporter,
    protocol,
    endpointSet: read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined || read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined,
    sampler: (read(env, 'OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on').toLowerCase(),
    samplerArg: read(env, 'OTEL_TRACES_SAMPLER_ARG'),
    metricsExporter,
    metricsProtocol,
    metricExportIntervalMs,
    propagators: (read(env, 'OTEL_PROPAGATORS') ?? 'tracecontext,baggage')
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter(Boolean),
  };
}

function readProtocol(
  env: NodeJS.ProcessEnv,
  signalVariable: string,
  warn: (message: string) => void,
): 'http/protobuf' | 'http/json' {
  const name = (read(env, signalVariable) ?? read(env, 'OTEL_EXPORTER_OTLP_PROTOCOL'))?.toLowerCase();
  if (name === undefined || name === 'http/protobuf') return 'http/protobuf';
  if (name === 'http/json') return 'http/json';
  warn(`OTLP protocol "${name}" is not supported by @costtrace/register; using http/protobuf`);
  return 'http/protobuf';
}

/** A diag logger that writes to stderr, for `register` (never stdout: it is the app's). */
export function stderrLogger(): DiagLogger {
  const write = (level: string) => (message: string, ...args: unknown[]) => {
    const extra = args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : safeJson(a)));
    process.stderr.write(`[costtrace] ${level}: ${[message, ...extra].join(' ')}\n`);
  };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug'), verbose: write('verbose') };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
