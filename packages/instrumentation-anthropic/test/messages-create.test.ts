import * as sdk from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { closedRequest, expectAllEnded, harness, MESSAGES, MESSAGES_ESTIMATE, recordingDiag, type Harness } from './support';

const VERSION = '1.12.0';

describe('messages.create (non-streaming)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(sdk, VERSION);
  });
  afterEach(async () => {
    expectAllEnded(h, expect);
    await h.close();
  });

  const base = () => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-test-1',
    'gen_ai.request.max_tokens': 256,
    'server.address': '127.0.0.1',
    'server.port': h.fake.port,
  });

  it('records one chat span with Anthropic usage mapped to all-input totals', async () => {
    h.fake.script({
      id: 'msg_1',
      model: 'claude-test-1-20260101',
      text: 'hello there',
      serviceTier: 'priority',
      usage: { inputTokens: 1000, outputTokens: 20, cacheReadTokens: 600, cacheWrite5mTokens: 100, cacheWrite1hTokens: 50, reasoningTokens: 5 },
    });
    const message = await h.client.messages.create({
      model: 'claude-test-1',
      max_tokens: 256,
      temperature: 0.5,
      messages: MESSAGES,
    });
    expect(message.content[0].text).toBe('hello there');
    const [span] = h.spans();
    expect(h.spans()).toHaveLength(1);
    expect(span!.name).toBe('chat claude-test-1');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).toEqual({
      ...base(),
      'gen_ai.request.temperature': 0.5,
      'gen_ai.response.id': 'msg_1',
      'gen_ai.response.model': 'claude-test-1-20260101',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'anthropic.response.service_tier': 'priority',
      // input_tokens 250 (uncached) + 600 read + 150 written
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 20,
      'gen_ai.usage.cache_read.input_tokens': 600,
      'gen_ai.usage.cache_write.input_tokens': 150,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 100,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 50,
      'gen_ai.usage.reasoning.output_tokens': 5,
      'costtrace.call.outcome': 'completed',
    });
  });

  it('sends the call with its own abort signal and never records the API key', async () => {
    h.fake.script({ usage: { inputTokens: 10, outputTokens: 2 } });
    await h.client.messages.create({ model: 'claude-test-1', max_tokens: 256, messages: MESSAGES });
    const [span] = h.spans();
    expect(JSON.stringify(span!.attributes)).not.toContain('sk-ant-test');
    expect(h.fake.requests[0]!.model).toBe('claude-test-1');
  });

  it('ends the span with error.type on an API error and rethrows the SDK error', async () => {
    h.fake.script({ status: 429, error: { type: 'rate_limit_error', message: 'slow down' } });
    const err = await h.client.messages
      .create({ model: 'claude-test-1', max_tokens: 256, messages: MESSAGES })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(sdk.RateLimitError);
    const [span] = h.spans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: expect.stringContaining('slow down') });
    expect(span!.attributes).toEqual({
      ...base(),
      'error.type': 'RateLimitError',
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'error',
    });
  });

  it('keeps withResponse() working and records usage', async () => {
    h.fake.script({ id: 'msg_w', usage: { inputTokens: 40, outputTokens: 4 } });
    const promise = h.client.messages.create({ model: 'claude-test-1', max_tokens: 256, messages: MESSAGES });
    expect(promise).toBeInstanceOf(sdk.APIPromise);
    const { data, response, request_id } = await promise.withResponse();
    expect(data.id).toBe('msg_w');
    expect(response.status).toBe(200);
    expect(request_id).toBeTruthy();
    const [span] = h.spans();
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(40);
    expect(span!.attributes['costtrace.call.outcome']).toBe('completed');
  });

  it('asResponse(): never reads the body, ends on arrival with the estimated worst case', async () => {
    h.fake.script({ text: 'raw body', usage: { inputTokens: 40, outputTokens: 4 } });
    const response = await h.client.messages
      .create({ model: 'claude-test-1', max_tokens: 256, messages: MESSAGES })
      .asResponse();
    const [span] = h.spans();
    expect(span!.attributes).toEqual({
      ...base(),
      'gen_ai.usage.input_tokens': MESSAGES_ESTIMATE,
      'gen_ai.usage.output_tokens': 256,
      'costtrace.usage.estimated': true,
      'costtrace.call.outcome': 'completed',
    });
    const body = await response.json();
    expect(body.content[0].text).toBe('raw body');
  });

  it('ends as cancelled when the caller aborts through its own signal, and the request really stops', async () => {
    h.fake.script({ delayMs: 2000 });
    const controller = new AbortController();
    const promise = h.client.messages.create(
      { model: 'claude-test-1', max_tokens: 256, messages: MESSAGES },
      { signal: controller.signal },
    );
    await h.fake.waitForRequests(1);
    controller.abort();
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(sdk.APIUserAbortError);
    expect((await closedRequest(h.fake)).clientClosedEarly).toBe(true);
    const [span] = h.spans();
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).toEqual({
      ...base(),
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'cancelled',
    });
  });

  it.each([
    ['missing usage', null],
    ['garbage usage', { input_tokens: 'many', output_tokens: -3, cache_read_input_tokens: Number.NaN }],
  ])('survives %s: the call works and usage falls back to our estimate', async (_, rawUsage) => {
    h.fake.script({ text: 'one two three four five', rawUsage });
    const message = await h.client.messages.create({ model: 'claude-test-1', max_tokens: 256, messages: MESSAGES });
    expect(message.content[0].text).toBe('one two three four five');
    const [span] = h.spans();
    expect(span!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': MESSAGES_ESTIMATE,
      // ceil(23 chars / 2.5)
      'gen_ai.usage.output_tokens': 10,
      'costtrace.usage.estimated': true,
      'costtrace.call.outcome': 'completed',
    });
  });

  it('ends a never-awaited call as cancelled and unread after the timeout', async () => {
    await h.close();
    h = await harness(sdk, VERSION, { unreadStreamTimeoutMs: 50 });
    h.fake.script({ usage: { inputTokens: 10, outputTokens: 2 } });
    h.client.messages.create({ model: 'claude-test-1', max_tokens: 256, messages: MESSAGES });
    // The response is sent whole before the server may close: a request cut by afterEach's close
    // would reject the never-awaited promise unhandled. Then the 50 ms timer ends the span.
    const [request] = await h.fake.waitForRequests(1);
    await h.fake.waitForClose(request!.id);
    for (let waited = 0; h.spans().length === 0 && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    const [span] = h.spans();
    expect(span!.attributes).toEqual({
      ...base(),
      'gen_ai.usage.input_tokens': MESSAGES_ESTIMATE,
      'gen_ai.usage.output_tokens': 256,
      'costtrace.usage.estimated': true,
      'costtrace.stream.unread': true,
      'gen_ai.response.finish_reasons': ['error'],
      'costtrace.call.outcome': 'cancelled',
    });
  });
});

describe('content capture', () => {
  it('writes no content by default and JSON messages when opted in, truncated', async () => {
    const h = await harness(sdk, VERSION, { captureMessageContent: true, contentMaxLength: 120 });
    try {
      h.fake.script({ text: 'hi', usage: { inputTokens: 10, outputTokens: 1 } });
      await h.client.messages.create({
        model: 'claude-test-1',
        max_tokens: 16,
        system: 'be brief',
        messages: [{ role: 'user', content: 'x'.repeat(300) }],
      });
      const attrs = h.spans()[0]!.attributes;
      expect(attrs['gen_ai.system_instructions']).toBe('[{"type":"text","content":"be brief"}]');
      expect(attrs['gen_ai.input.messages']).toHaveLength(120);
      expect(String(attrs['gen_ai.input.messages']).endsWith('…')).toBe(true);
      expect(attrs['gen_ai.output.messages']).toBe(
        '[{"role":"assistant","parts":[{"type":"text","content":"hi"}],"finish_reason":"end_turn"}]',
      );
      expectAllEnded(h, expect);
    } finally {
      await h.close();
    }
  });
});

describe('a throwing hook of ours', () => {
  it('logs through diag and calls through when starting the span fails', async () => {
    const h = await harness(sdk, VERSION);
    const diag = recordingDiag();
    (h.inst as any)._diag = diag;
    // A tracer whose startSpan throws: our setup fails before anything is sent.
    h.inst.setTracerProvider({ getTracer: () => ({ startSpan: () => { throw new Error('boom'); } }) } as any);
    h.inst.getModuleDefinitions()[0]!.patch!(sdk, VERSION);
    try {
      h.fake.script({ text: 'still works', usage: { inputTokens: 10, outputTokens: 2 } });
      const message = await h.client.messages.create({ model: 'claude-test-1', max_tokens: 16, messages: MESSAGES });
      expect(message.content[0].text).toBe('still works');
      expect(diag.errors.length).toBeGreaterThan(0);
      expect(h.fake.requests).toHaveLength(1);
      expectAllEnded(h, expect);
    } finally {
      await h.close();
    }
  });
});
