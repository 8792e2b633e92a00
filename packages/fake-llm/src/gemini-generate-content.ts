import type { Exchange } from './internal-types';
import type { StreamError } from './types';
import { defaultErrorType, googleError } from './error-bodies';
import { geminiFinishReason } from './finish-reasons';
import { playStream } from './play-stream';
import { sendJson, providerHeaders } from './send-reply';
import { geminiSseEvent, sseHeaders } from './sse';
import { geminiUsageMetadata, wireUsage } from './wire-usage';

/** HTTP codes of Google's canonical statuses, for a mid-stream error scripted by its status name. */
const STATUS_CODES: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** The error chunk a failing Gemini stream sends: `{error: {code, message, status}}`. */
function streamErrorChunk(error: StreamError): Record<string, unknown> {
  const status = error.type ?? defaultErrorType('google', 500);
  return googleError(STATUS_CODES[status] ?? 500, status, error.message ?? 'fake-llm: scripted stream error');
}

/**
 * Answers Gemini's `models/{model}:generateContent` and `:streamGenerateContent`,
 * on the Gemini API and on Vertex AI (which adds `createTime`). JSON is one
 * `GenerateContentResponse`; `?alt=sse` streams one response per text delta as
 * `data: {…}\r\n\r\n`, every chunk with `usageMetadata` (prompt and thoughts so
 * far) and the last one with `finishReason` and the totals. Without `alt=sse`
 * the stream is Gemini's JSON array of the same chunks. A mid-stream error is a
 * chunk holding Google's error object, which `@google/genai` throws as `ApiError`.
 * Scripted tool calls are `functionCall` parts (`{name, args}`, `id` only when
 * scripted) after the text; a stream sends them in its last chunk.
 */
export async function serveGenerateContent(exchange: Exchange): Promise<void> {
  const { reply, record, created } = exchange;
  const responseId = reply.id ?? `fake-gemini-${record.seq}`;
  const finishReason = geminiFinishReason(reply.finishReason);
  const vertex = record.path.includes('/publishers/');
  const calls = reply.toolCalls.map(call => ({
    functionCall: { ...(call.id !== undefined ? { id: call.id } : {}), name: call.name, args: call.arguments },
  }));
  const chunk = (text: string | undefined, final: boolean, withCalls = false): Record<string, unknown> => ({
    candidates: [
      {
        content: { parts: [...(text !== undefined ? [{ text }] : []), ...(withCalls ? calls : [])], role: 'model' },
        ...(final ? { finishReason } : {}),
        index: 0,
      },
    ],
    usageMetadata: wireUsage(reply, usage => ({
      ...geminiUsageMetadata(usage, final),
      ...(vertex ? { trafficType: 'ON_DEMAND' } : {}),
    })),
    modelVersion: reply.model,
    ...(vertex ? { createTime: new Date(created * 1000).toISOString() } : {}),
    responseId,
  });

  const textOrNone = reply.text === '' && calls.length > 0 ? undefined : reply.text;
  if (!record.stream) {
    sendJson(exchange, 'google', 200, chunk(textOrNone, true, true));
    return;
  }

  const sse = exchange.query.get('alt') === 'sse';
  const count = reply.deltas.length;
  // The JSON-array stream: `[` first, `,` between elements, `]` last.
  let elements = 0;
  const frame = (data: unknown): string => {
    if (sse) return geminiSseEvent(data);
    elements += 1;
    return `${elements === 1 ? '' : ',\r\n'}${JSON.stringify(data)}`;
  };
  const close = sse ? [] : [']'];

  await playStream(exchange, sse ? sseHeaders(providerHeaders('google', exchange)) : jsonHeaders(exchange), {
    preamble: () => (sse ? [] : ['[']),
    // The last chunk carries the finish reason and the totals (and any function calls),
    // as the real stream's last chunk does.
    delta: (text, index) => [frame(chunk(text, index === count - 1 && calls.length === 0))],
    epilogue: () =>
      count === 0 || calls.length > 0 ? [frame(chunk(count === 0 ? textOrNone : undefined, true, true)), ...close] : close,
    error: error => [frame(streamErrorChunk(error)), ...close],
  });
}

function jsonHeaders(exchange: Exchange): Record<string, string> {
  return { 'content-type': 'application/json; charset=UTF-8', ...providerHeaders('google', exchange) };
}
