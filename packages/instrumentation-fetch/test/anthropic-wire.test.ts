import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingOpen, harness, post, readAll, type Harness } from './support';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h, expect);
  h.reset();
});

const messages = [{ role: 'user', content: 'Say hello' }];

describe('Anthropic messages over fetch', () => {
  it('reads a stream as it passes: input with cache reads and writes, output from message_delta', async () => {
    h.fake.script({ usage: { inputTokens: 300, cacheReadTokens: 200, cacheWriteTokens: 50, outputTokens: 4 }, text: 'one two three four' });
    const res = await post(`${h.fake.anthropicBaseURL}/v1/messages`, { model: 'claude-test-1', max_tokens: 100, messages, stream: true });
    const text = await readAll(res);
    expect(text).toContain('event: message_stop');
    expect(h.fake.requests[0]!.body).toEqual({ model: 'claude-test-1', max_tokens: 100, messages, stream: true });
    const [span, ...rest] = h.spans();
    expect(rest).toEqual([]);
    expect(span!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-test-1',
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.stream': true,
      'server.address': '127.0.0.1',
      'server.port': h.fake.port,
      'gen_ai.response.id': expect.any(String),
      'gen_ai.response.model': 'claude-test-1',
      'anthropic.response.service_tier': 'standard',
      'gen_ai.usage.input_tokens': 300,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.usage.cache_read.input_tokens': 200,
      'gen_ai.usage.cache_write.input_tokens': 50,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 50,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 0,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('reads a JSON message', async () => {
    h.fake.script({ usage: { inputTokens: 10, outputTokens: 2 } });
    const res = await post(`${h.fake.anthropicBaseURL}/v1/messages`, { model: 'claude-test-1', max_tokens: 100, messages });
    expect(((await res.json()) as { type: string }).type).toBe('message');
    expect(h.spans()[0]!.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2 });
  });

  it("records a LiteLLM proxy's reported cost", async () => {
    h.fake.script({ usage: { inputTokens: 10, outputTokens: 2 }, headers: { 'x-litellm-response-cost': '0.000123' } });
    await (await post(`${h.fake.anthropicBaseURL}/v1/messages`, { model: 'claude-test-1', max_tokens: 100, messages })).json();
    expect(h.spans()[0]!.attributes['costtrace.provider.cost_usd']).toBe(0.000123);
  });
});
