import { DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../src/env';

function read(env: Record<string, string>) {
  const warnings: string[] = [];
  return { settings: readEnv(env, (m) => warnings.push(m)), warnings };
}

describe('readEnv', () => {
  it('uses the OpenTelemetry defaults when nothing is set', () => {
    expect(read({})).toEqual({
      settings: {
        batch: {},
        spanLimits: {},
        disabled: false,
        logLevel: DiagLogLevel.WARN,
        tracesExporter: 'otlp',
        protocol: 'http/protobuf',
        endpointSet: false,
        sampler: 'parentbased_always_on',
        samplerArg: undefined,
        metricsExporter: 'otlp',
        metricsProtocol: 'http/protobuf',
        metricExportIntervalMs: 60_000,
        propagators: ['tracecontext', 'baggage'],
      },
      warnings: [],
    });
  });

  it('reads the standard variables', () => {
    const { settings, warnings } = read({
      OTEL_SDK_DISABLED: 'TRUE',
      OTEL_LOG_LEVEL: 'debug',
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces',
      OTEL_TRACES_SAMPLER: 'TraceIdRatio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_PROPAGATORS: 'tracecontext, none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_MAX_QUEUE_SIZE: '4096',
      OTEL_ATTRIBUTE_COUNT_LIMIT: '200',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '512',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '64',
    });
    expect(warnings).toEqual([]);
    expect(settings).toEqual({
      batch: { scheduledDelayMillis: 100, maxQueueSize: 4096 },
      spanLimits: { attributeCountLimit: 512, eventCountLimit: 64 },
      disabled: true,
      logLevel: DiagLogLevel.DEBUG,
      tracesExporter: 'console',
      protocol: 'http/json',
      endpointSet: true,
      sampler: 'traceidratio',
      samplerArg: '0.25',
      metricsExporter: 'none',
      metricsProtocol: 'http/protobuf',
      metricExportIntervalMs: 5000,
      propagators: ['tracecontext', 'none'],
    });
  });

  it('reads OTEL_METRICS_EXPORTER=prometheus (a scrape endpoint) without a warning', () => {
    const { settings, warnings } = read({ OTEL_METRICS_EXPORTER: 'prometheus' });
    expect([settings.metricsExporter, warnings]).toEqual(['prometheus', []]);
  });

  it.each([
    [{ OTEL_METRICS_EXPORTER: 'zipkin' }, 'OTEL_METRICS_EXPORTER="zipkin" is not supported by @costtrace/register; using otlp'],
    [{ OTEL_LOG_LEVEL: 'loud' }, 'OTEL_LOG_LEVEL="loud" is not a log level; using warn'],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, 'OTEL_TRACES_EXPORTER="zipkin" is not supported by @costtrace/register; using otlp'],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }, 'OTLP protocol "grpc" is not supported by @costtrace/register; using http/protobuf'],
    [{ OTEL_BSP_EXPORT_TIMEOUT: '-1' }, 'OTEL_BSP_EXPORT_TIMEOUT="-1" is not a positive integer; the SDK default applies'],
    [{ OTEL_METRIC_EXPORT_INTERVAL: 'soon' }, 'OTEL_METRIC_EXPORT_INTERVAL="soon" is not a positive integer; using 60000'],
  ])('replaces a bad value with the default and one warning: %j', (env, warning) => {
    expect(read(env).warnings).toEqual([warning]);
  });
});
