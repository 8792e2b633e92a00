/**
 * The AWS event-stream binary framing (`application/vnd.amazon.eventstream`),
 * as Bedrock's streaming operations send it: per message a prelude (total
 * length, headers length, both big-endian uint32, and the prelude's CRC32),
 * the headers, the payload and the CRC32 of everything before it. Headers here
 * are all strings (type 7: 1-byte name length, name, type, 2-byte value length, value).
 */
export function eventStreamMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const encoded: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(1 + nameBytes.length + 3);
    head.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(head, 1);
    head.writeUInt8(7, 1 + nameBytes.length);
    head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    encoded.push(head, valueBytes);
  }
  const headerBytes = Buffer.concat(encoded);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload).copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An `event` message: `:event-type` names the union member, the payload is its JSON. */
export function eventMessage(eventType: string, body: unknown): Buffer {
  return eventStreamMessage(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(body), 'utf8'),
  );
}

/** An `exception` message (`throttlingException`, `modelStreamErrorException`, …), as a stream's error. */
export function exceptionMessage(exceptionType: string, message: string): Buffer {
  return eventStreamMessage(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    Buffer.from(JSON.stringify({ message }), 'utf8'),
  );
}

// CRC-32 (IEEE 802.3, reflected 0xEDB88320), what the event-stream framing uses.
// zlib.crc32 exists only from Node 20.15 / 22.2; the package supports Node 20.6.
const TABLE = makeTable();

export function crc32(bytes: Uint8Array): number {
  const t = TABLE;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
