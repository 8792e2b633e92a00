import { isRecord, type CallEnd, type CallSink } from '@costtrace/pipeline';
import { BedrockCodec, finish } from './bedrock-codec';
import { callEstimate, estimateInput } from './estimate-tokens';
import { readConverseUsage } from './read-json';
import { requestAttributes } from './request-attributes';

const PROMPT_FIELDS = ['system', 'messages', 'toolConfig'] as const;

/**
 * The Converse API's shapes, for `ConverseCommand` (the output's `usage` and
 * `stopReason`) and `ConverseStreamCommand` (its events: `contentBlockDelta`s,
 * `messageStop` with the stop reason, then `metadata` with the usage, last).
 * Converse's `inputTokens` leaves out `cacheReadInputTokens` and
 * `cacheWriteInputTokens`; the span's input is their sum.
 */
export class ConverseCodec extends BedrockCodec {
  constructor(requestModel: string, input: Record<string, unknown>, streaming: boolean) {
    const config = isRecord(input['inferenceConfig']) ? input['inferenceConfig'] : {};
    super(
      requestModel,
      streaming,
      callEstimate(() => estimateInput(input, PROMPT_FIELDS), config['maxTokens']),
      requestAttributes(config['maxTokens'], config['temperature'], streaming),
    );
  }

  onBody(sink: CallSink, output: unknown): CallEnd {
    const body = isRecord(output) ? output : {};
    const usage = readConverseUsage(body['usage']);
    if (usage) sink.recordUsage(usage, false);
    else {
      // Usage missing or malformed: keep the budget conservative with our own count.
      const message = isRecord(body['output']) && isRecord(body['output']['message']) ? body['output']['message'] : {};
      this._output.add(blocksText(message['content']));
      sink.recordUsage(this._running(), true);
    }
    return finish(typeof body['stopReason'] === 'string' ? body['stopReason'] : undefined);
  }

  onChunk(sink: CallSink, event: unknown): void {
    if (!isRecord(event)) return;
    const delta = isRecord(event['contentBlockDelta']) ? event['contentBlockDelta']['delta'] : undefined;
    if (delta !== undefined) {
      const text = deltaText(delta);
      if (text === '') return;
      this._output.add(text);
      if (sink.wantsRunningUsage) sink.recordUsage(this._running(), true);
      return;
    }
    const stop = isRecord(event['messageStop']) ? event['messageStop']['stopReason'] : undefined;
    if (typeof stop === 'string') this._stopReason = stop;
    if (isRecord(event['metadata'])) {
      this._sawLast = true;
      const usage = readConverseUsage(event['metadata']['usage']);
      if (usage) {
        this._final = usage;
        sink.recordUsage(usage, false);
      }
    }
  }
}

/** Text of a `contentBlockDelta`'s delta: text, a tool call's input JSON, reasoning. */
function deltaText(delta: unknown): string {
  if (!isRecord(delta)) return '';
  if (typeof delta['text'] === 'string') return delta['text'];
  const toolUse = delta['toolUse'];
  if (isRecord(toolUse) && typeof toolUse['input'] === 'string') return toolUse['input'];
  const reasoning = delta['reasoningContent'];
  if (isRecord(reasoning) && typeof reasoning['text'] === 'string') return reasoning['text'];
  return '';
}

function blocksText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block['text'] === 'string') text += block['text'];
    else if (isRecord(block['toolUse'])) text += JSON.stringify(block['toolUse']['input'] ?? null);
    else if (isRecord(block['reasoningContent'])) text += JSON.stringify(block['reasoningContent']);
  }
  return text;
}
