import { asObject, type CallSink } from '@costtrace/pipeline';
import type { Params } from './internal-types';
import { providerCostAttributes } from './provider-cost';
import { chatUsage } from './wire-usage';

/**
 * `stream_options.include_usage` on a chat-shaped stream (chat completions and
 * legacy completions): without it such a stream carries no usage at all, so it
 * is added, and the chunk it adds is taken out of the caller's stream again.
 */
export class IncludeUsage {
  /** True when the request streams without asking for its usage: the option is added. */
  readonly injects: boolean;
  /** True when the chunk the added option brings is hidden from the caller. */
  readonly hides: boolean;

  constructor(params: Params, streaming: boolean, hideInjectedUsageChunk: boolean) {
    this.injects = streaming && asObject(params['stream_options'])?.['include_usage'] !== true;
    this.hides = this.injects && hideInjectedUsageChunk;
  }

  /** The request to send: the caller's, with the model to send and, when needed, the option added. */
  sendParams(params: Params, model: string): Params {
    const send: Params = { ...params, model };
    if (this.injects) send['stream_options'] = { ...asObject(params['stream_options']), include_usage: true };
    return send;
  }

  /**
   * Whether to hide a chunk: the one the option adds (no choices, the usage).
   * Every other chunk gets `usage: null`, which the caller would not have seen either.
   */
  hide(chunk: unknown): boolean {
    if (!this.hides) return false;
    const c = asObject(chunk);
    if (!c) return false;
    if (Array.isArray(c['choices']) && c['choices'].length === 0 && asObject(c['usage'])) return true;
    if (c['usage'] === null) delete c['usage'];
    return false;
  }
}

/**
 * Records the provider's usage (and cost) a stream chunk carries; true when it
 * carried some. `onUsage` runs first: recording it may stop the call.
 */
export function recordChunkUsage(call: CallSink, chunk: Record<string, unknown>, onUsage: () => void): boolean {
  const usage = chunk['usage'] === null || chunk['usage'] === undefined ? undefined : chatUsage(chunk['usage']);
  if (!usage) return false;
  onUsage();
  call.recordUsage(usage, false);
  call.setAttributes(providerCostAttributes(chunk['usage']));
  return true;
}
