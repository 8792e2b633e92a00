import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { AttributeSink } from './price-call';
import type { CostSpan } from './types';

/** Writes through the span's own `setAttribute` (limits applied), in `onEnding`. */
export class SpanSink implements AttributeSink {
  span: CostSpan | undefined;
  set(key: string, value: AttributeValue): void {
    this.span?.setAttribute(key, value);
  }
}

/**
 * Without `onEnding` (sdk-trace-base before 2.3) the span is already ended in `onEnd` and
 * `setAttribute` is ignored. The best left is to write into its attribute map, which the SDK's
 * span keeps as a plain object: processors registered after this one (the exporting one) see the
 * values; span limits are not applied. A frozen map is left alone.
 */
export class DirectSink implements AttributeSink {
  attributes: Attributes | undefined;
  set(key: string, value: AttributeValue): void {
    const target = this.attributes;
    if (target === undefined) return;
    try {
      (target as Record<string, AttributeValue>)[key] = value;
    } catch {
      this.attributes = undefined;
    }
  }
}
