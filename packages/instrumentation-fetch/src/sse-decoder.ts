/** One complete server-sent event, as it arrived and as the codecs read it. */
export interface SseEvent {
  /** The event's text as sent, its blank-line terminator included: what the caller gets unless it is hidden. */
  readonly raw: string;
  /** Its `data:` payload parsed as JSON; the text when it is not JSON; undefined for `[DONE]` and data-less events. */
  readonly data: unknown;
}

const BLANK_LINE = /\r\n\r\n|\n\n|\r\r/;

/**
 * Splits a byte stream into server-sent events as the bytes arrive (text/event-stream:
 * events end at a blank line; `\n`, `\r\n` and `\r` line ends, as OpenAI, Anthropic and
 * Gemini each use one of them). A partial event waits for the bytes that complete it.
 */
export class SseDecoder {
  private readonly _text = new TextDecoder();
  private _pending = '';

  /** The events a chunk completes. */
  push(bytes: Uint8Array): SseEvent[] {
    this._pending += this._text.decode(bytes, { stream: true });
    return this._drain();
  }

  /** What is left at the end of the body: an event without its final blank line, if any. */
  end(): SseEvent[] {
    this._pending += this._text.decode();
    const events = this._drain();
    if (this._pending.trim() !== '') events.push(toEvent(this._pending));
    this._pending = '';
    return events;
  }

  private _drain(): SseEvent[] {
    const events: SseEvent[] = [];
    for (;;) {
      const m = BLANK_LINE.exec(this._pending);
      if (!m) return events;
      const end = m.index + m[0].length;
      events.push(toEvent(this._pending.slice(0, end)));
      this._pending = this._pending.slice(end);
    }
  }
}

function toEvent(raw: string): SseEvent {
  let data: string | undefined;
  // Line by line without a split: this runs for every event of every stream.
  for (let start = 0; start < raw.length; ) {
    let end = start;
    while (end < raw.length && raw.charCodeAt(end) !== 10 && raw.charCodeAt(end) !== 13) end++;
    if (raw.startsWith('data:', start)) {
      const value = raw.charCodeAt(start + 5) === 32 ? raw.slice(start + 6, end) : raw.slice(start + 5, end);
      data = data === undefined ? value : `${data}\n${value}`;
    }
    start = end + (raw.charCodeAt(end) === 13 && raw.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
  if (data === undefined || data === '[DONE]') return { raw, data: undefined };
  try {
    return { raw, data: JSON.parse(data) as unknown };
  } catch {
    return { raw, data };
  }
}
