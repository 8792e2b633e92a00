import {
  OPENINFERENCE_SPAN_KIND,
  OPENLLMETRY_LLM_REQUEST_TYPE,
  VERCEL_AI_OPERATION_ID,
  type AttributesLike,
} from '@costtrace/semconv';

/** The instrumentation scope of an ended span (`instrumentationLibrary` before SDK 2.0). */
interface ScopedSpan {
  readonly instrumentationScope?: { name?: string; version?: string };
  readonly instrumentationLibrary?: { name?: string; version?: string };
}

/**
 * The client that wrote a model-call span costtrace did not gate, as a warning names it: its
 * instrumentation scope (name and version), with the dialect its attributes speak when that says
 * more than the scope name (the Vercel AI SDK's scope is just `ai`). `key` is one per client.
 */
export function foreignClient(span: object, attributes: AttributesLike): { key: string; label: string } {
  const scope = (span as ScopedSpan).instrumentationScope ?? (span as ScopedSpan).instrumentationLibrary;
  const name = typeof scope?.name === 'string' && scope.name !== '' ? scope.name : undefined;
  const version = typeof scope?.version === 'string' && scope.version !== '' ? ` ${scope.version}` : '';
  const dialect = dialectOf(attributes, name);
  const scoped = name === undefined ? 'no instrumentation scope' : `"${name}"${version}`;
  const label = dialect === undefined ? scoped : `${dialect} (${name === undefined ? scoped : `scope ${scoped}`})`;
  return { key: `${name ?? ''}|${dialect ?? ''}`, label };
}

function dialectOf(attributes: AttributesLike, scope: string | undefined): string | undefined {
  if (typeof attributes[VERCEL_AI_OPERATION_ID] === 'string' || scope === 'ai') return "the Vercel AI SDK's telemetry";
  if (attributes[OPENINFERENCE_SPAN_KIND] !== undefined || scope?.startsWith('@arizeai/openinference')) return 'OpenInference';
  if (attributes[OPENLLMETRY_LLM_REQUEST_TYPE] !== undefined || scope?.startsWith('@traceloop/')) return 'OpenLLMetry';
  return undefined;
}
