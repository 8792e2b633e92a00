import type { Context, Span } from '@opentelemetry/api';
import { plainEstimate } from './call-codec';
import type { CallEstimate, GateCall } from './types';

/**
 * A call as {@link InferenceCall} shows it to the gate. A class, so that `estimate` is read
 * through its prototype: the gate's own-field copy of a lazy estimate is made only when a gate
 * reads it (a call under no budget is never estimated).
 */
export class GateCallView implements GateCall {
  constructor(
    readonly provider: string,
    readonly operation: string,
    readonly requestModel: string,
    readonly streaming: boolean,
    readonly span: Span,
    readonly context: Context,
    readonly parentContext: Context,
    private readonly _estimate: CallEstimate,
    readonly abort: (reason: Error) => boolean,
  ) {}

  get estimate(): CallEstimate {
    return plainEstimate(this._estimate);
  }
}
