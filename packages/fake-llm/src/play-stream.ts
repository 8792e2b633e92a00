import type { Exchange } from './internal-types';
import type { StreamError } from './types';

/**
 * Least pause before a scripted disconnect. undici's fetch drops body chunks it
 * has received but the caller has not read yet when the socket fails, so the
 * client needs a moment to read what was sent before the connection goes.
 */
const DISCONNECT_SETTLE_MS = 50;

/** The events of one wire's stream, built lazily so sequence numbers stay in order. */
export interface StreamScript {
  /** Events before the first content delta (role chunk, `message_start`, `response.created`, …). */
  preamble(): string[];
  /** Events carrying one content delta. */
  delta(text: string, index: number): string[];
  /** Events after the last delta (finish, usage, `[DONE]`, `message_stop`, …). */
  epilogue(): string[];
  /** The wire's mid-stream error event. */
  error(error: StreamError): string[];
}

/**
 * Plays a stream chunk by chunk with the reply's delays, so a client that breaks
 * out or aborts is seen closing the connection mid-stream. Honors the scripted
 * disconnect and mid-stream error, and stops quietly once the client has gone.
 */
export async function playStream(
  exchange: Exchange,
  headers: Record<string, string>,
  script: StreamScript,
): Promise<void> {
  const { channel, reply, record } = exchange;
  channel.start(200, headers);
  if (!(await writeAll(exchange, script.preamble()))) return;

  const count = reply.deltas.length;
  const disconnectAt =
    reply.disconnectAfterChunks === undefined ? undefined : Math.min(Math.max(0, reply.disconnectAfterChunks), count);
  const errorAt =
    reply.streamError === undefined ? undefined : Math.min(Math.max(0, reply.streamError.afterChunks), count);

  for (let i = 0; i <= count; i += 1) {
    const interrupt = i === disconnectAt || i === errorAt;
    if (i === count && !interrupt) break;
    const wait = i === 0 ? reply.firstChunkDelayMs : reply.chunkDelayMs;
    if (!(await channel.sleep(i === disconnectAt ? Math.max(wait, DISCONNECT_SETTLE_MS) : wait))) return;
    if (i === disconnectAt) {
      channel.destroy();
      return;
    }
    if (i === errorAt && reply.streamError) {
      if (await writeAll(exchange, script.error(reply.streamError))) channel.end();
      return;
    }
    if (!(await writeAll(exchange, script.delta(reply.deltas[i] ?? '', i)))) return;
    record.chunksSent += 1;
  }

  if (await writeAll(exchange, script.epilogue())) channel.end();
}

async function writeAll(exchange: Exchange, events: string[]): Promise<boolean> {
  for (const event of events) {
    if (!(await exchange.channel.write(event))) return false;
  }
  return true;
}
