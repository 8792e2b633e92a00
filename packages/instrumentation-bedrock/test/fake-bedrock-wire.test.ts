// fake-llm's Bedrock wire as the real SDK and a raw HTTP/1.1 client see it (fake-llm has no AWS SDK of its own).
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '@costtrace/fake-llm';
import { clientConfig, MESSAGES, sdk } from './support';

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeLlm();
});
afterEach(async () => {
  await fake.close();
});

describe('fake-llm Bedrock wire', () => {
  it('answers an HTTP error the way the service does: the SDK throws the named exception, and retries it', async () => {
    fake.script({ status: 429 }, { status: 429 }, { status: 429 });
    const client = new sdk.BedrockRuntimeClient(clientConfig(fake));
    const error = await client.send(new sdk.ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: MESSAGES })).catch((e: unknown) => e);
    client.destroy();
    expect(error).toBeInstanceOf(sdk.ThrottlingException);
    expect((error as { $metadata: { httpStatusCode: number; attempts: number } }).$metadata).toMatchObject({ httpStatusCode: 429, attempts: 3 });
  });

  it('sends a mid-stream error as an exception message, which the SDK throws from the iteration', async () => {
    fake.script({ text: 'a b c', streamError: { afterChunks: 1, message: 'boom' } });
    const client = new sdk.BedrockRuntimeClient(clientConfig(fake));
    const output = await client.send(new sdk.ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages: MESSAGES }));
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const event of output.stream!) seen.push(event);
    })().catch((e: unknown) => e);
    client.destroy();
    expect(seen).toEqual([{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'a' } } }]);
    expect(error).toBeInstanceOf(sdk.ModelStreamErrorException);
    expect((error as Error).message).toBe('boom');
  });

  it('serves the same routes over HTTP/1.1, as event-stream frames with valid CRC32s', async () => {
    fake.script({ text: 'hi', usage: { inputTokens: 5, outputTokens: 1 } });
    const res = await fetch(`${fake.url}/model/${encodeURIComponent('amazon.nova-lite-v1:0')}/converse-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: MESSAGES }),
    });
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const bytes = Buffer.from(await res.arrayBuffer());
    const types: string[] = [];
    for (let at = 0; at < bytes.length; ) {
      const total = bytes.readUInt32BE(at);
      const message = bytes.subarray(at, at + total);
      expect(message.readUInt32BE(8)).toBe(crc32(message.subarray(0, 8)));
      expect(message.readUInt32BE(total - 4)).toBe(crc32(message.subarray(0, total - 4)));
      const type = /:event-type\x07\x00.(\w+)/s.exec(message.toString('latin1'));
      types.push(type![1]!);
      at += total;
    }
    expect(types).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']);
    expect(fake.requests[0]).toMatchObject({ provider: 'bedrock', api: 'bedrock.converse-stream', model: 'amazon.nova-lite-v1:0', stream: true, completed: true });
  });
});
