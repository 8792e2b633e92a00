// The provider answered in-process: a `fetch` that returns a ready Response (no socket), for
// test/bench/peers/call-child.mjs. OpenAI chat (plain, or a 50-chunk stream with the usage chunk
// when asked for it) and an Anthropic message, shaped as the real APIs answer.
const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Speculation, margin buying and a fragile banking system.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 41, completion_tokens: 12, total_tokens: 53, prompt_tokens_details: { cached_tokens: 0 } },
});

function sse(chunks) {
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
}

const STREAM = (() => {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini-2024-07-18' };
  const chunks = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: null }];
  for (let i = 0; i < 48; i++) chunks.push({ ...base, choices: [{ index: 0, delta: { content: ` word${i}` }, finish_reason: null }], usage: null });
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null });
  const usage = { ...base, choices: [], usage: { prompt_tokens: 41, completion_tokens: 48, total_tokens: 89 } };
  return { withUsage: sse([...chunks, usage]), withoutUsage: sse(chunks) };
})();

const MESSAGE = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5-20251001',
  content: [{ type: 'text', text: 'Speculation, margin buying and a fragile banking system.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 30, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
});

export async function answer(url, init) {
  if (String(url).endsWith('/v1/messages')) return new Response(MESSAGE, { status: 200, headers: { 'content-type': 'application/json' } });
  const body = JSON.parse(init.body);
  if (body.stream) {
    const text = body.stream_options?.include_usage ? STREAM.withUsage : STREAM.withoutUsage;
    return new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }
  return new Response(COMPLETION, { status: 200, headers: { 'content-type': 'application/json' } });
}

/**
 * {@link answer}, with a stream's body arriving in pieces over turns of the event loop (a
 * `setImmediate` between pieces), as from a socket: many concurrent streams interleave, and the
 * event-loop delay measures the longest stretch of work between two turns.
 */
export async function answerInPieces(url, init) {
  const response = await answer(url, init);
  if (response.headers.get('content-type') !== 'text/event-stream') return response;
  const events = (await response.text()).split(/(?<=\n\n)/);
  const pieces = [];
  for (let i = 0; i < events.length; i += 5) pieces.push(new TextEncoder().encode(events.slice(i, i + 5).join('')));
  let at = 0;
  const body = new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setImmediate(resolve));
      if (at < pieces.length) controller.enqueue(pieces[at++]);
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}
