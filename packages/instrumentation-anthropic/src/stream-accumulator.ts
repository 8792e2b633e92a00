import type { TokenUsage } from '@costtrace/semconv';
import { isRecord } from '@costtrace/pipeline';
import { OutputEstimate } from './estimate-tokens';
import { readAnthropicUsage, readServiceTier } from './read-anthropic-usage';

/**
 * What a Messages event stream has said so far. `message_start` carries the
 * input and cache usage (and the first output token), `message_delta` the
 * cumulative output usage and the stop reason; in between, the text of the
 * deltas feeds an over-estimated running output count.
 */
export class StreamAccumulator {
  id: string | undefined;
  model: string | undefined;
  stopReason: string | undefined;
  serviceTier: string | undefined;
  sawMessageStop = false;
  private _startUsage: TokenUsage | undefined;
  /** `message_start`'s raw usage, which a later `message_delta` updates field by field. */
  private _startRaw: Record<string, unknown> = {};
  private _finalUsage: TokenUsage | undefined;
  private readonly _output = new OutputEstimate();
  private readonly _blocks: Record<string, unknown>[] = [];

  constructor(private readonly _captureContent: boolean) {}

  /** Takes one event; returns the usage to record and whether it is the provider's final count. */
  add(event: unknown): { usage: TokenUsage; estimated: boolean } | undefined {
    if (!isRecord(event)) return undefined;
    switch (event['type']) {
      case 'message_start': {
        const message = isRecord(event['message']) ? event['message'] : {};
        if (typeof message['id'] === 'string') this.id = message['id'];
        if (typeof message['model'] === 'string') this.model = message['model'];
        this.serviceTier = readServiceTier(message['usage']) ?? this.serviceTier;
        this._startRaw = isRecord(message['usage']) ? { ...message['usage'] } : {};
        this._startUsage = readAnthropicUsage(this._startRaw);
        return this._startUsage ? { usage: this.runningUsage(), estimated: true } : undefined;
      }
      case 'content_block_start':
        if (this._captureContent && isRecord(event['content_block'])) this._blocks.push({ ...event['content_block'] });
        return undefined;
      case 'content_block_delta': {
        const text = deltaText(event['delta']);
        if (text === '') return undefined;
        this._output.add(text);
        if (this._captureContent) this._appendContent(event['delta']);
        return { usage: this.runningUsage(), estimated: true };
      }
      case 'message_delta': {
        const delta = isRecord(event['delta']) ? event['delta'] : {};
        if (typeof delta['stop_reason'] === 'string') this.stopReason = delta['stop_reason'];
        this.serviceTier = readServiceTier(event['usage']) ?? this.serviceTier;
        // `message_delta` usage is cumulative; newer API versions repeat input and cache counts
        // there too, and may send some of them as null. Merge the raw fields (a null keeps
        // `message_start`'s value), then read once: input must include the cache counts it keeps.
        const rawDelta = isRecord(event['usage']) ? event['usage'] : undefined;
        if (!rawDelta) return undefined;
        const raw: Record<string, unknown> = { ...this._startRaw };
        for (const [key, value] of Object.entries(rawDelta)) if (value !== null && value !== undefined) raw[key] = value;
        const merged = readAnthropicUsage(raw);
        // Totals pricing would reject stay our running estimate, charged as one (like OpenAI's).
        if (merged?.outputTokens === undefined || merged.inputTokens === undefined) return undefined;
        this._finalUsage = merged;
        return { usage: merged, estimated: false };
      }
      case 'message_stop':
        this.sawMessageStop = true;
        return undefined;
      default:
        return undefined;
    }
  }

  /** The provider's final usage, once `message_delta` carried it. */
  get finalUsage(): TokenUsage | undefined {
    return this._finalUsage;
  }

  /** Input (and cache) from `message_start`, output from the larger of what it reported and our count. */
  runningUsage(): TokenUsage {
    const start = this._startUsage ?? {};
    return { ...start, outputTokens: Math.max(start.outputTokens ?? 0, this._output.tokens) };
  }

  /** The streamed content blocks, for opt-in content capture. */
  get content(): Record<string, unknown>[] {
    return this._blocks;
  }

  private _appendContent(delta: unknown): void {
    const block = this._blocks[this._blocks.length - 1];
    if (!block || !isRecord(delta)) return;
    if (typeof delta['text'] === 'string') block['text'] = String(block['text'] ?? '') + delta['text'];
    if (typeof delta['thinking'] === 'string') block['thinking'] = String(block['thinking'] ?? '') + delta['thinking'];
    if (typeof delta['partial_json'] === 'string') {
      // A tool call's input arrives as JSON text; it is kept as that text.
      block['input'] = (typeof block['input'] === 'string' ? block['input'] : '') + delta['partial_json'];
    }
  }
}

function deltaText(delta: unknown): string {
  if (!isRecord(delta)) return '';
  for (const key of ['text', 'thinking', 'partial_json', 'citation'] as const) {
    const value = delta[key];
    if (typeof value === 'string') return value;
  }
  return '';
}
