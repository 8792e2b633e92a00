import * as sdk from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAllEnded, harness, type Harness } from './support';

const VERSION = '1.12.0';

// SDK 1.x threads build each turn's request on `beta.messages.create()` and read it through the
// APIPromise's internal `_responseProps()`.
describe('beta.messages.thread() (SDK 1.x)', () => {
  let h: Harness;
  beforeEach(async () => {
    // A long unread timeout: a span that waited for it would still be open when the test ends.
    h = await harness(sdk, VERSION, { unreadStreamTimeoutMs: 60_000 });
  });
  afterEach(async () => {
    expectAllEnded(h, expect);
    await h.close();
  });

  it('records a non-streaming turn with the provider usage (the thread parses the request itself)', async () => {
    h.fake.script({ text: 'hi there', usage: { inputTokens: 12, outputTokens: 3 } });
    const thread = (h.client as any).beta.messages.thread({ model: 'claude-test-1', max_tokens: 100 });
    const reply = await thread.send({ role: 'user', content: 'hello' });
    expect(reply.content[0].text).toBe('hi there');
    const [span] = h.spans();
    expect(span!.attributes).toMatchObject({ 'costtrace.call.outcome': 'completed', 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 3 });
    expect(span!.attributes['costtrace.usage.estimated']).toBeUndefined();
  });

  it('ends a streaming turn when the thread takes the raw response, with the estimated worst case (like asResponse())', async () => {
    h.fake.script({ text: 'streamed turn', usage: { inputTokens: 12, outputTokens: 2 } });
    const thread = (h.client as any).beta.messages.thread({ model: 'claude-test-1', max_tokens: 100 });
    const message = await thread.stream({ role: 'user', content: 'hello' }).finalMessage();
    expect(message.content[0].text).toBe('streamed turn');
    // The hand-off is decided one macrotask after the response arrives (queued before this one).
    await new Promise((resolve) => setImmediate(resolve));
    const [span] = h.spans();
    expect(span!.attributes).toMatchObject({
      'costtrace.call.outcome': 'completed',
      'costtrace.usage.estimated': true,
      'gen_ai.usage.output_tokens': 100,
    });
    expect(span!.attributes['costtrace.stream.unread']).toBeUndefined();
  });
});
