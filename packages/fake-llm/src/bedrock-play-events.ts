import type { Exchange } from './internal-types';
import { exceptionMessage } from './bedrock-event-stream';

/** The messages of one Bedrock stream, built as it plays. */
export interface StreamEvents {
  preamble(): Buffer[];
  delta(text: string): Buffer[];
  epilogue(): Buffer[];
}

/**
 * Plays an event stream message by message with the reply's delays, like the
 * SSE wires: a scripted disconnect destroys the socket, a scripted stream
 * error sends an `exception` message (`modelStreamErrorException` unless
 * typed) and ends, and a client that goes away stops it quietly.
 */
export async function playEvents(exchange: Exchange, events: StreamEvents, headers: Record<string, string>): Promise<void> {
  const { channel, reply, record } = exchange;
  channel.start(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-bedrock-content-type': 'application/json',
    ...headers,
  });
  const writeAll = async (messages: Buffer[]): Promise<boolean> => {
    for (const message of messages) if (!(await channel.write(message))) return false;
    return true;
  };
  if (!(await writeAll(events.preamble()))) return;
  const count = reply.deltas.length;
  const disconnectAt = reply.disconnectAfterChunks === undefined ? undefined : Math.min(Math.max(0, reply.disconnectAfterChunks), count);
  const errorAt = reply.streamError === undefined ? undefined : Math.min(Math.max(0, reply.streamError.afterChunks), count);
  for (let i = 0; i <= count; i += 1) {
    const interrupt = i === disconnectAt || i === errorAt;
    if (i === count && !interrupt) break;
    const wait = i === 0 ? reply.firstChunkDelayMs : reply.chunkDelayMs;
    // A pause before a disconnect lets the client read what was sent (as the SSE wires do).
    if (!(await channel.sleep(i === disconnectAt ? Math.max(wait, 50) : wait))) return;
    if (i === disconnectAt) return channel.destroy();
    if (i === errorAt && reply.streamError) {
      const error = reply.streamError;
      const sent = await writeAll([exceptionMessage(error.type ?? 'modelStreamErrorException', error.message ?? 'fake-llm: scripted stream error')]);
      if (sent) channel.end();
      return;
    }
    if (!(await writeAll(events.delta(reply.deltas[i] ?? '')))) return;
    record.chunksSent += 1;
  }
  if (await writeAll(events.epilogue())) channel.end();
}
