import { withRun } from '@costtrace/core';
import { anthropicClient, describeError, openaiClient } from '../shared.mjs';

// Streams that go wrong on the wire after a 200, under a run budget: the connection drops, the body
// ends mid-event, the body is not SSE at all, the provider sends its `error` event. The app sees
// what it sees without costtrace (test/suites/fault/provider-faults.test.ts compares), each call's
// span ends once, and what the run was charged is kept.
const sse = (events) => events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('');
const chunk = (content) => ({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const SSE = { 'content-type': 'text/event-stream' };
const aEvent = (type, body) => `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
const aStart = aEvent('message_start', { message: { id: 'msg_x', type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [], stop_reason: null, usage: { input_tokens: 500, output_tokens: 1 } } });
const aDelta = (text) => aEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });

export const CASES = ['openai disconnect', 'openai truncated', 'openai garbage', 'openai error event', 'anthropic disconnect', 'anthropic truncated', 'anthropic garbage', 'anthropic error event'];
export const replies = [
  { text: 'a b c d e f', chunks: 6, chunkDelayMs: 5, disconnectAfterChunks: 3, usage: { inputTokens: 500, outputTokens: 6 } },
  { headers: SSE, rawBody: sse([chunk('one '), chunk('two ')]) + 'data: {"id":"chatcmpl-x","object":"chat.completion.chunk","choi' },
  { headers: SSE, rawBody: 'data: this is not json\n\n<html>502 Bad Gateway</html>\n\ndata: {"choices":\n\n' },
  { text: 'a b c d e f', chunks: 6, streamError: { afterChunks: 2, type: 'server_error', message: 'The server had an error' }, usage: { inputTokens: 500, outputTokens: 6 } },
  { text: 'a b c d e f', chunks: 6, chunkDelayMs: 5, disconnectAfterChunks: 3, usage: { inputTokens: 500, outputTokens: 6 } },
  { headers: SSE, rawBody: aStart + aEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + aDelta('one ') + 'event: content_block_delta\ndata: {"type":"content_blo' },
  { headers: SSE, rawBody: 'event: message_start\ndata: not json at all\n\n<html>502</html>\n\n' },
  { text: 'a b c d e f', chunks: 6, streamError: { afterChunks: 2, type: 'overloaded_error', message: 'Overloaded' }, usage: { inputTokens: 500, outputTokens: 6 } },
];

async function drain(stream, text) {
  let seen = '';
  for await (const ev of stream) seen += text(ev) ?? '';
  return seen;
}

export default async function run(ctx) {
  const openai = openaiClient(ctx);
  const anthropic = anthropicClient(ctx);
  const messages = [{ role: 'user', content: 'hi' }];
  const calls = {
    openai: async () =>
      drain(await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages, stream: true }), (c) => c.choices?.[0]?.delta?.content),
    anthropic: async () =>
      drain(await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages, stream: true }), (e) => e.delta?.text),
  };
  const seen = {};
  await withRun('stream faults', { budgetUsd: 1 }, async () => {
    for (const name of CASES) {
      seen[name] = await calls[name.split(' ')[0]]().then((text) => ({ text }), (err) => ({ error: describeError(err) }));
    }
  });
  return seen;
}
