/**
 * Formats one server-sent event. OpenAI chat completions send bare `data:` lines;
 * the Responses API and Anthropic name every event with an `event:` line, and the
 * Anthropic SDK skips events that have none.
 */
export function sseEvent(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return event === undefined ? `data: ${payload}\n\n` : `event: ${event}\ndata: ${payload}\n\n`;
}

/** A Gemini stream chunk: Google's servers end every event with CRLF CRLF. */
export function geminiSseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}

/** Response headers of an SSE stream. */
export function sseHeaders(extra: Record<string, string>): Record<string, string> {
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...extra,
  };
}
