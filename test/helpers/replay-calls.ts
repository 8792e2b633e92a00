// How each recording is replayed: the SDK call a user would make for it. The recorded request body
// is sent as the call's params where there is one (with `stream` as the case needs); the vercel/ai
// fixtures have none, so a minimal request names the model the response reports.
import type { Recording, ReplayHarness } from './replay';
import { drain } from './replay';

type Params = Record<string, unknown>;

export interface ReplayCall {
  /** The recording whose body this case replays, when not its own (a helper over the same response). */
  bodyOf?: string;
  /** Makes the SDK call and reads the response as an app would; returns what the app saw. */
  run(h: ReplayHarness, r: Recording): Promise<unknown>;
}

const question = [{ role: 'user', content: 'Replay the recorded answer' }];

/** The recorded request, or the minimal one for a recording without it. */
function params(r: Recording, minimal: Params): Params {
  return r.request ? { ...r.request } : minimal;
}

function without(p: Params, ...keys: string[]): Params {
  const copy = { ...p };
  for (const key of keys) delete copy[key];
  return copy;
}

const chat = (minimal?: Params): ReplayCall => ({
  run: async (h, r) => {
    const completion = await h.openai.chat.completions.create(params(r, minimal ?? {}));
    return { choices: completion.choices.length, usage: completion.usage };
  },
});

const chatStream = (minimal?: Params): ReplayCall => ({
  run: async (h, r) => {
    const stream = await h.openai.chat.completions.create({ ...params(r, minimal ?? {}), stream: true });
    const chunks = await drain(stream);
    return { chunks: chunks.length, last: chunks.at(-1) };
  },
});

const responses = (minimal?: Params): ReplayCall => ({
  run: async (h, r) => {
    const response = await h.openai.responses.create(params(r, minimal ?? {}));
    return { status: response.status, usage: response.usage };
  },
});

const responsesStream = (minimal?: Params): ReplayCall => ({
  run: async (h, r) => {
    const stream = await h.openai.responses.create({ ...params(r, minimal ?? {}), stream: true });
    const events = await drain(stream);
    return { events: events.length, last: (events.at(-1) as { type?: string } | undefined)?.type };
  },
});

const messages = (minimal?: Params): ReplayCall => ({
  run: async (h, r) => {
    const message = await h.anthropic.messages.create(params(r, minimal ?? {}));
    return { stop: message.stop_reason, usage: message.usage };
  },
});

const messagesStream = (minimal?: Params): ReplayCall => ({
  run: async (h, r) => {
    const stream = await h.anthropic.messages.create({ ...params(r, minimal ?? {}), stream: true });
    const events = await drain(stream);
    return { events: events.length, last: (events.at(-1) as { type?: string } | undefined)?.type };
  },
});

export const REPLAY_CALLS: Record<string, ReplayCall> = {
  'oa-chat-json': chat(),
  'oa-chat-json-n2': chat(),
  'oa-chat-json-tools-1': chat(),
  'oa-chat-json-tools-2': chat(),
  'oa-chat-json-functions': chat(),
  'oa-chat-json-cached': chat(),
  'oa-chat-json-reasoning': chat(),
  'oa-chat-json-priority': chat(),
  'oa-chat-parse': {
    run: async (h, r) => {
      const completion = await h.openai.chat.completions.parse(params(r, {}));
      return { parsed: completion.choices[0].message.parsed };
    },
  },
  'oa-chat-stream-usage': chatStream(),
  'oa-chat-stream-helper': {
    bodyOf: 'oa-chat-stream-usage',
    run: async (h, r) => {
      const runner = h.openai.chat.completions.stream(without(params(r, {}), 'stream'));
      const completion = await runner.finalChatCompletion();
      return { content: completion.choices[0].message.content, usage: completion.usage };
    },
  },
  'oa-chat-stream-reasoning': chatStream({ model: 'gpt-5-nano', messages: question, stream_options: { include_usage: true } }),
  'oa-chat-stream-nousage': chatStream(),
  'oa-chat-stream-tools-nousage': chatStream(),
  'oa-resp-json': responses(),
  'oa-resp-json-reasoning': responses(),
  'oa-resp-json-priority': responses(),
  'oa-resp-json-tools': responses(),
  'oa-resp-json-cached-reasoning': responses({ model: 'gpt-5-mini', input: 'Replay the recorded answer' }),
  'oa-resp-stream': responsesStream(),
  'oa-resp-stream-helper': {
    bodyOf: 'oa-resp-stream',
    run: async (h, r) => {
      const stream = h.openai.responses.stream(without(params(r, {}), 'stream'));
      const response = await stream.finalResponse();
      return { status: response.status, usage: response.usage };
    },
  },
  'oa-resp-stream-contrib': responsesStream(),
  'oa-resp-stream-cached-reasoning': responsesStream({ model: 'gpt-5-mini', input: 'Replay the recorded answer' }),
  'oa-embed-ada': {
    run: async (h, r) => {
      const response = await h.openai.embeddings.create(params(r, {}));
      return { vectors: response.data.length, usage: response.usage };
    },
  },
  'oa-embed-3small': {
    run: async (h, r) => {
      const response = await h.openai.embeddings.create(params(r, { model: 'text-embedding-3-small', input: ['sunny day at the beach', 'rainy day in the city'] }));
      return { vectors: response.data.length, usage: response.usage };
    },
  },
  'oa-completions-legacy': {
    run: async (h, r) => {
      const completion = await h.openai.completions.create(params(r, {}));
      return { text: completion.choices[0].text, usage: completion.usage };
    },
  },
  'oa-resp-stream-error': responsesStream({ model: 'gpt-5-nano', input: 'Replay the recorded answer' }),
  'oa-resp-error-400': responses({ model: 'o3-mini', input: 'Replay the recorded answer', temperature: 0.5 }),
  'an-json-opus3': messages(),
  'an-stream-opus3': messagesStream(),
  'an-beta-json-thinking': {
    run: async (h, r) => {
      const message = await h.anthropic.beta.messages.create(params(r, {}));
      return { stop: message.stop_reason, usage: message.usage };
    },
  },
  'an-json-cache-write': messages(),
  'an-json-cache-read': messages(),
  'an-stream-cache-write': messagesStream(),
  'an-stream-cache-read-helper': {
    run: async (h, r) => {
      const stream = h.anthropic.messages.stream(without(params(r, {}), 'stream'));
      const message = await stream.finalMessage();
      return { stop: message.stop_reason, usage: message.usage };
    },
  },
  'an-json-thinking': messages(),
  'an-stream-thinking': messagesStream(),
  'an-json-tools': messages(),
  'an-stream-tools': messagesStream(),
  'an-json-haiku45-tool': messages({ model: 'claude-haiku-4-5', max_tokens: 4096, messages: question }),
  'an-stream-sonnet45': messagesStream({ model: 'claude-sonnet-4-5', max_tokens: 4096, messages: question }),
  'an-stream-web-fetch': messagesStream({ model: 'claude-sonnet-4-20250514', max_tokens: 4096, messages: question }),
  'an-stream-cache-5m-sonnet5': messagesStream({ model: 'claude-sonnet-5', max_tokens: 4096, messages: question }),
  'an-json-opus5-thinking-tokens': messages({ model: 'claude-opus-5', max_tokens: 4096, messages: question }),
  'an-json-compaction': messages({ model: 'claude-opus-4-6', max_tokens: 4096, messages: question }),
  // More helpers over recorded responses (`<recording>+<helper>`).
  'oa-resp-json+parse': {
    bodyOf: 'oa-resp-json',
    run: async (h, r) => {
      const response = await h.openai.responses.parse(params(r, {}));
      return { text: response.output_text, usage: response.usage };
    },
  },
  'oa-chat-json-tools-1+runTools': {
    bodyOf: 'oa-chat-json-tools-1',
    // The recorded tool-call turn, answered by a runner whose tools are never called: max one chat completion.
    run: async (h, r) => {
      const p = params(r, {});
      const tools = (p['tools'] as Array<{ type: string; function: Record<string, unknown> }>).map((t) => ({
        type: 'function',
        function: { ...t.function, function: () => 'sunny', parse: JSON.parse },
      }));
      const runner = h.openai.chat.completions.runTools({ ...p, tools }, { maxChatCompletions: 1 });
      const calls: unknown[] = [];
      runner.on('functionToolCall', (call: unknown) => calls.push(call));
      await runner.done().catch(() => undefined);
      return { toolCalls: calls.length };
    },
  },
  'an-stream-sonnet45+beta.messages.stream': {
    bodyOf: 'an-stream-sonnet45',
    run: async (h, r) => {
      const stream = h.anthropic.beta.messages.stream(params(r, { model: 'claude-sonnet-4-5', max_tokens: 4096, messages: question }));
      const message = await stream.finalMessage();
      return { stop: message.stop_reason, usage: message.usage };
    },
  },
};
