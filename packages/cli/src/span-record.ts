/** An attribute value as read from OTLP JSON or Jaeger tags. */
export type AttrValue = string | number | boolean | AttrValue[] | { [key: string]: AttrValue } | null;

/** One span event. */
export interface SpanEventRecord {
  name: string;
  timeUnixNano: bigint;
  attributes: Record<string, AttrValue>;
}

/** One span, whatever source it came from: ids in lowercase hex, times in Unix nanoseconds. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** Absent on a root span. */
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttrValue>;
  events: SpanEventRecord[];
  /** `service.name` of the span's resource. */
  serviceName?: string;
}
