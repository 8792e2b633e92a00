import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { recordingDiag } from '@costtrace/testing';
import { expectNothingOpen, harness, readAll, type Harness } from './support';

let h: Harness;
beforeAll(async () => {
  h = await harness({ unreadStreamTimeoutMs: 50 });
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h, expect);
  h.reset();
});

const messages = [{ role: 'user', content: 'Say hello' }];
const body = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'gpt-4o-mini', messages, ...extra });

async function spanCount(h: Harness, n: number): Promise<void> {
  for (let i = 0; i < 200 && h.spans().length < n; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('request forms and unread bodies', () => {
  it('reads a Request object from a clone and sends it with what the call adds', async () => {
    h.fake.script({ usage: { inputTokens: 5, outputTokens: 3 }, text: 'a b c' });
    const request = new Request(`${h.fake.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-app': 'mine' },
      body: body({ stream: true }),
    });
    const text = await readAll(await fetch(request));
    expect(text).not.toContain('usage');
    const [sent] = h.fake.requests;
    expect(sent!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(sent!.headers['x-app']).toBe('mine');
    expect(h.spans()[0]!.attributes['gen_ai.usage.output_tokens']).toBe(3);
  });

  it('reads a body given as bytes', async () => {
    h.fake.script({ usage: { inputTokens: 5, outputTokens: 2 } });
    const res = await fetch(`${h.fake.openaiBaseURL}/chat/completions`, {
      method: 'post',
      headers: { 'content-type': 'application/json' },
      body: new TextEncoder().encode(body()),
    });
    await res.json();
    expect(h.spans()[0]!.attributes['gen_ai.usage.output_tokens']).toBe(2);
  });

  it('leaves a request whose body is a stream untraced and untouched, and says so once', async () => {
    const log = recordingDiag();
    diag.setLogger(log, DiagLogLevel.WARN);
    h.fake.script({ usage: { inputTokens: 5, outputTokens: 2 } });
    const stream = new Blob([body()]).stream();
    const res = await fetch(`${h.fake.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await res.json();
    expect(h.fake.requests[0]!.model).toBe('gpt-4o-mini');
    expect(h.spans()).toEqual([]);
    diag.disable();
    expect(log.warnings.map((w) => w.join(' '))).toEqual([
      expect.stringMatching(/FetchInstrumentation: a model call is sent untraced and unbudgeted: its body is not JSON/),
    ]);
  });

  it('leaves a body that names no model untraced', async () => {
    h.fake.script({ usage: { inputTokens: 5, outputTokens: 2 } });
    await (await fetch(`${h.fake.openaiBaseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages }) })).text();
    expect(h.fake.requests).toHaveLength(1);
    expect(h.spans()).toEqual([]);
  });

  it('sends an untraced request once, even when it fails', async () => {
    let seen = 0;
    const server = createServer((req) => {
      seen++;
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    h.inst.setConfig({ unreadStreamTimeoutMs: 50, baseUrls: [h.fake.url, url] });
    try {
      // A body that is not JSON: recognised by its path, not read, sent as is.
      const pending = fetch(`${url}/v1/chat/completions`, { method: 'POST', body: 'not json' });
      await expect(pending).rejects.toThrow();
      expect(seen).toBe(1);
      expect(h.spans()).toEqual([]);
    } finally {
      h.inst.setConfig({ unreadStreamTimeoutMs: 50, baseUrls: [h.fake.url] });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('ends the call of a body nobody reads, and the caller can still read it later, as sent', async () => {
    h.fake.script({ usage: { inputTokens: 5, outputTokens: 3 }, text: 'a b c' });
    const res = await fetch(`${h.fake.openaiBaseURL}/chat/completions`, { method: 'POST', body: body({ stream: true }) });
    await spanCount(h, 1);
    expect(h.spans()[0]!.attributes).toMatchObject({
      'costtrace.call.outcome': 'cancelled',
      'costtrace.stream.unread': true,
      'costtrace.usage.estimated': true,
    });
    const text = await readAll(res);
    expect(text).toContain('data: [DONE]');
    expect(text).not.toContain('usage');
    expect(h.spans()).toHaveLength(1);
  });
});
