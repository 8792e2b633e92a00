import type { DiagLogger } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { CollectingProcessor, recordingDiag } from '@costtrace/testing';

export { recordingDiag };


export function tracing() {
  const collector = new CollectingProcessor();
  const provider = new TracerProvider({ spanProcessors: [collector] });
  return { exporter: { getFinishedSpans: () => collector.spans }, collector, provider, tracer: provider.getTracer('test') };
}

