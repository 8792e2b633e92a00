import type { Exchange } from './internal-types';
import { anthropicStopReason } from './finish-reasons';
import { playStream } from './play-stream';
import { sendJson, providerHeaders } from './send-reply';
import { sseEvent, sseHeaders } from './sse';
import { anthropicDeltaUsage, anthropicUsage, wireUsage } from './wire-usage';
import { streamErrorObject } from './error-bodies';
import { toolCallId } from './tool-calls';

/**
 * Answers `POST /v1/messages`, as a message or as Anthropic's event stream:
 * `message_start` (usage with the whole input and the first output token),
 * `content_block_start`, `ping`, `content_block_delta`s, `content_block_stop`,
 * `message_delta` (stop reason and cumulative usage) and `message_stop`.
 * A mid-stream error is `event: error`, which the SDK throws as an `APIError`.
 * Scripted tool calls are `tool_use` blocks after the text block (which is left
 * out when there is no text), streamed as `input_json_delta`s.
 */
export async function serveMessages(exchange: Exchange): Promise<void> {
  const { reply, body, record } = exchange;
  const id = reply.id ?? `msg_fake${record.seq}`;
  const stopReason = anthropicStopReason(reply.finishReason);
  const message = (content: unknown[], stop: string | null, usage: unknown): Record<string, unknown> => ({
    id,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage,
  });

  const hasText = reply.text !== '' || reply.toolCalls.length === 0;
  const tools = reply.toolCalls.map((call, i) => ({
    type: 'tool_use',
    id: toolCallId(call, 'toolu_', record.seq, i),
    name: call.name,
    input: call.arguments,
    call,
  }));
  const firstTool = hasText ? 1 : 0;

  if (body['stream'] !== true) {
    const content = [
      ...(hasText ? [{ type: 'text', text: reply.text }] : []),
      ...tools.map(({ call: _call, ...block }) => block),
    ];
    sendJson(exchange, 'anthropic', 200, message(content, stopReason, wireUsage(reply, u => anthropicUsage(u, reply))));
    return;
  }

  const event = (type: string, fields: Record<string, unknown> = {}): string => sseEvent({ type, ...fields }, type);
  // The real API reports the first output token in message_start and the cumulative total in message_delta.
  const startUsage = wireUsage(reply, u => anthropicUsage(u, reply, Math.min(1, u.outputTokens)));

  await playStream(exchange, sseHeaders(providerHeaders('anthropic', exchange)), {
    preamble: () => [
      event('message_start', { message: message([], null, startUsage) }),
      ...(hasText ? [event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })] : []),
      event('ping'),
    ],
    delta: text => [event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })],
    epilogue: () => [
      ...(hasText ? [event('content_block_stop', { index: 0 })] : []),
      ...tools.flatMap(({ call, ...block }, i) => [
        event('content_block_start', { index: firstTool + i, content_block: { ...block, input: {} } }),
        ...call.pieces.map(partial_json =>
          event('content_block_delta', { index: firstTool + i, delta: { type: 'input_json_delta', partial_json } }),
        ),
        event('content_block_stop', { index: firstTool + i }),
      ]),
      event('message_delta', {
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: wireUsage(reply, anthropicDeltaUsage),
      }),
      event('message_stop'),
    ],
    error: error => {
      const { type, message: text } = streamErrorObject('anthropic', error);
      return [event('error', { error: { type, message: text } })];
    },
  });
}

/** Answers `POST /v1/messages/count_tokens` with the input the reply would report. */
export async function serveCountTokens(exchange: Exchange): Promise<void> {
  sendJson(exchange, 'anthropic', 200, { input_tokens: exchange.reply.usage.inputTokens });
}
