import type { Exchange } from './internal-types';
import { responsesIncompleteReason } from './finish-reasons';
import { playStream } from './play-stream';
import { sendJson, providerHeaders } from './send-reply';
import { sseEvent, sseHeaders } from './sse';
import { openaiResponsesUsage, wireUsage } from './wire-usage';
import { streamErrorObject } from './error-bodies';
import { toolCallId } from './tool-calls';

type Status = 'in_progress' | 'completed' | 'incomplete';

/**
 * Answers `POST /v1/responses`, as a `response` object or as the Responses event
 * stream: `response.created`, `response.in_progress`, output item and content
 * part events, `response.output_text.delta`s, then `response.completed` (or
 * `response.incomplete` when capped) whose `response.usage` holds the usage.
 * Every event is named by an `event:` line and numbered by `sequence_number`;
 * there is no `[DONE]`. Scripted tool calls are `function_call` output items
 * after the message (which is left out when there is no text), streamed as
 * `response.function_call_arguments.delta`s.
 */
export async function serveResponses(exchange: Exchange): Promise<void> {
  const { reply, body, record, created } = exchange;
  const id = reply.id ?? `resp_fake${record.seq}`;
  const messageId = `msg_fake${record.seq}`;
  const reasoningItem =
    reply.usage.reasoningTokens > 0 ? { id: `rs_fake${record.seq}`, type: 'reasoning', summary: [] } : undefined;
  const hasMessage = reply.text !== '' || reply.toolCalls.length === 0;
  const messageIndex = reasoningItem ? 1 : 0;
  const firstCallIndex = messageIndex + (hasMessage ? 1 : 0);
  const functionCall = (i: number, status: Status, args: string): Record<string, unknown> => {
    const call = reply.toolCalls[i]!;
    return {
      id: `fc_fake${record.seq}_${i}`,
      type: 'function_call',
      status,
      arguments: args,
      call_id: toolCallId(call, 'call_', record.seq, i),
      name: call.name,
    };
  };
  const finalCalls = reply.toolCalls.map((call, i) => functionCall(i, 'completed', call.json));
  const incompleteReason = responsesIncompleteReason(reply.finishReason);
  const finalStatus: Status = incompleteReason ? 'incomplete' : 'completed';

  const part = (text: string): Record<string, unknown> => ({ type: 'output_text', annotations: [], logprobs: [], text });
  const message = (status: Status, content: unknown[]): Record<string, unknown> => ({
    id: messageId,
    type: 'message',
    status,
    role: 'assistant',
    content,
  });
  const finalOutput = [
    ...(reasoningItem ? [reasoningItem] : []),
    ...(hasMessage ? [message(finalStatus, [part(reply.text)])] : []),
    ...finalCalls,
  ];
  const response = (status: Status, output: unknown[], usage: unknown): Record<string, unknown> => ({
    id,
    object: 'response',
    created_at: created,
    status,
    background: false,
    completed_at: status === 'in_progress' ? null : Math.floor(Date.now() / 1000),
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: incompleteReason } : null,
    instructions: body['instructions'] ?? null,
    max_output_tokens: body['max_output_tokens'] ?? null,
    metadata: body['metadata'] ?? {},
    model: reply.model,
    output,
    parallel_tool_calls: body['parallel_tool_calls'] ?? true,
    previous_response_id: body['previous_response_id'] ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: reply.serviceTier ?? 'default',
    store: body['store'] ?? true,
    temperature: body['temperature'] ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: body['tools'] ?? [],
    top_p: body['top_p'] ?? 1,
    truncation: 'disabled',
    usage,
    user: null,
  });

  if (body['stream'] !== true) {
    sendJson(exchange, 'openai', 200, response(finalStatus, finalOutput, wireUsage(reply, openaiResponsesUsage)));
    return;
  }

  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): string =>
    sseEvent({ type, sequence_number: sequence++, ...fields }, type);
  const at = { item_id: messageId, output_index: messageIndex, content_index: 0 };

  await playStream(exchange, sseHeaders(providerHeaders('openai', exchange)), {
    preamble: () => [
      event('response.created', { response: response('in_progress', [], null) }),
      event('response.in_progress', { response: response('in_progress', [], null) }),
      ...(reasoningItem
        ? [
            event('response.output_item.added', { output_index: 0, item: reasoningItem }),
            event('response.output_item.done', { output_index: 0, item: reasoningItem }),
          ]
        : []),
      ...(hasMessage
        ? [
            event('response.output_item.added', { output_index: messageIndex, item: message('in_progress', []) }),
            event('response.content_part.added', { ...at, part: part('') }),
          ]
        : []),
    ],
    delta: text => [event('response.output_text.delta', { ...at, delta: text, logprobs: [] })],
    epilogue: () => [
      ...(hasMessage
        ? [
            event('response.output_text.done', { ...at, text: reply.text, logprobs: [] }),
            event('response.content_part.done', { ...at, part: part(reply.text) }),
            event('response.output_item.done', {
              output_index: messageIndex,
              item: message(finalStatus, [part(reply.text)]),
            }),
          ]
        : []),
      ...reply.toolCalls.flatMap((call, i) => {
        const item = { item_id: `fc_fake${record.seq}_${i}`, output_index: firstCallIndex + i };
        return [
          event('response.output_item.added', { output_index: item.output_index, item: functionCall(i, 'in_progress', '') }),
          ...call.pieces.map(delta => event('response.function_call_arguments.delta', { ...item, delta })),
          event('response.function_call_arguments.done', { ...item, name: call.name, arguments: call.json }),
          event('response.output_item.done', { output_index: item.output_index, item: finalCalls[i] }),
        ];
      }),
      event(`response.${finalStatus}`, {
        response: response(finalStatus, finalOutput, wireUsage(reply, openaiResponsesUsage)),
      }),
    ],
    error: error => {
      const { message: text, code } = streamErrorObject('openai', error);
      return [event('error', { code: code ?? error.type ?? 'server_error', message: text, param: null })];
    },
  });
}
