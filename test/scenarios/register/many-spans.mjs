import { trace } from '@opentelemetry/api';

// More finished spans than one export batch (512) and the batch processor's queue (2048)
// hold: a flush at exit has several batches to send.
export const SPANS = 3000;

export default async function run() {
  const tracer = trace.getTracer('costtrace-test-many-spans');
  for (let i = 0; i < SPANS; i++) tracer.startSpan(`step ${i}`).end();
  return { spans: SPANS };
}
