import type { Exchange } from './internal-types';
import { openaiFinishReason } from './finish-reasons';
import { playStream } from './play-stream';
import { sendJson, providerHeaders } from './send-reply';
import { sseEvent, sseHeaders } from './sse';
import { openaiChatUsage, wireUsage } from './wire-usage';
import { streamErrorObject } from './error-bodies';
import { toolCallId, type ResolvedToolCall } from './tool-calls';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Message `tool_calls` of a choice. */
function toolCallsOf(calls: ResolvedToolCall[], seq: number): Record<string, unknown>[] {
  return calls.map((call, i) => ({
    id: toolCallId(call, 'call_', seq, i),
    type: 'function',
    function: { name: call.name, arguments: call.json },
  }));
}

/**
 * The streamed `tool_calls` deltas: per call, a first delta with its `index`, `id`,
 * `type` and name and empty arguments, then the arguments in pieces.
 */
function toolCallDeltas(calls: ResolvedToolCall[], seq: number): Record<string, unknown>[] {
  return calls.flatMap((call, index) => [
    { index, id: toolCallId(call, 'call_', seq, index), type: 'function', function: { name: call.name, arguments: '' } },
    ...call.pieces.map(piece => ({ index, function: { arguments: piece } })),
  ]);
}

/**
 * Answers `POST /v1/chat/completions`, as JSON or as a stream of
 * `chat.completion.chunk`s ending in `data: [DONE]`. As the real API does, a
 * stream carries usage only when `stream_options.include_usage` is true: then
 * every chunk has `usage: null` and one extra chunk before `[DONE]` has
 * `choices: []` and the usage; without the option no chunk has a `usage` key.
 * Scripted tool calls are `message.tool_calls` (content `null` when there is no
 * text), streamed as `delta.tool_calls` pieces after the text.
 */
export async function serveChatCompletions(exchange: Exchange): Promise<void> {
  const { reply, body, record, created } = exchange;
  const id = reply.id ?? `chatcmpl-fake${record.seq}`;
  const finishReason = openaiFinishReason(reply.finishReason);
  const common = {
    id,
    created,
    model: reply.model,
    service_tier: reply.serviceTier ?? 'default',
    system_fingerprint: 'fp_fake',
  };

  if (body['stream'] !== true) {
    sendJson(exchange, 'openai', 200, {
      ...common,
      object: 'chat.completion',
      choices: range(reply.choices).map(index => ({
        index,
        message: {
          role: 'assistant',
          content: reply.toolCalls.length > 0 && reply.text === '' ? null : reply.text,
          refusal: null,
          annotations: [],
          ...(reply.toolCalls.length > 0 ? { tool_calls: toolCallsOf(reply.toolCalls, record.seq) } : {}),
        },
        logprobs: null,
        finish_reason: finishReason,
      })),
      usage: wireUsage(reply, openaiChatUsage),
    });
    return;
  }

  const toolsOnly = reply.toolCalls.length > 0 && reply.text === '';
  const options = body['stream_options'];
  const includeUsage =
    typeof options === 'object' && options !== null && (options as Record<string, unknown>)['include_usage'] === true;
  const chunk = (choices: unknown[]): string =>
    sseEvent({ ...common, object: 'chat.completion.chunk', choices, ...(includeUsage ? { usage: null } : {}) });
  const choice = (index: number, delta: Record<string, unknown>, finish: string | null): Record<string, unknown> => ({
    index,
    delta,
    logprobs: null,
    finish_reason: finish,
  });

  await playStream(exchange, sseHeaders(providerHeaders('openai', exchange)), {
    preamble: () =>
      range(reply.choices).map(i =>
        chunk([choice(i, { role: 'assistant', content: toolsOnly ? null : '', refusal: null }, null)]),
      ),
    delta: text => range(reply.choices).map(i => chunk([choice(i, { content: text }, null)])),
    epilogue: () => [
      ...range(reply.choices).flatMap(i =>
        toolCallDeltas(reply.toolCalls, record.seq).map(delta => chunk([choice(i, { tool_calls: [delta] }, null)])),
      ),
      ...range(reply.choices).map(i => chunk([choice(i, {}, finishReason)])),
      ...(includeUsage
        ? [sseEvent({ ...common, object: 'chat.completion.chunk', choices: [], usage: wireUsage(reply, openaiChatUsage) })]
        : []),
      sseEvent('[DONE]'),
    ],
    // The chat stream has no `event:` names: an error is a `data:` line with an `error` key.
    error: error => {
      const { type, message, code } = streamErrorObject('openai', error);
      return [sseEvent({ error: { message, type, param: null, code } })];
    },
  });
}
