import type { Exchange, ResolvedReply, ResolvedUsage } from './internal-types';
import { eventMessage } from './bedrock-event-stream';
import { playEvents, type StreamEvents } from './bedrock-play-events';
import { wireUsage } from './wire-usage';
import type { FakeApi } from './types';

// The Amazon Bedrock runtime wire protocol (REST JSON, as @aws-sdk/client-bedrock-runtime
// speaks it): `POST /model/{modelId}/converse`, `/converse-stream`, `/invoke` and
// `/invoke-with-response-stream`. SigV4 signatures are accepted unchecked. Streams are AWS
// event-stream binary messages; an InvokeModel stream's `chunk` events carry the model's own
// JSON (Anthropic messages events, Amazon Nova, Meta Llama, Mistral) base64-encoded in `bytes`,
// the last one with `amazon-bedrock-invocationMetrics`, as the service sends them.

const OPERATIONS: Record<string, FakeApi> = {
  converse: 'bedrock.converse',
  'converse-stream': 'bedrock.converse-stream',
  invoke: 'bedrock.invoke',
  'invoke-with-response-stream': 'bedrock.invoke-stream',
};

const MODEL_PATH = /^\/model\/([^/]+)\/([a-z-]+)$/;

/** The Bedrock API a `POST /model/{modelId}/{operation}` calls, or undefined when it is none. */
export function bedrockApi(method: string, path: string): FakeApi | undefined {
  const match = MODEL_PATH.exec(path);
  if (!match) return undefined;
  const api = OPERATIONS[match[2]!];
  return api === undefined ? undefined : method === 'POST' ? api : 'unknown';
}

/** The model id of a Bedrock path (URL-decoded: `anthropic.claude-…-v1%3A0`, ARNs with `%2F`). */
export function bedrockModelId(path: string): string | undefined {
  const match = MODEL_PATH.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}

/**
 * The request body as the fake's provider-neutral reply logic reads it: the
 * path's model id as `model`, the stream flag, and the output cap under
 * `max_tokens` (Converse `inferenceConfig.maxTokens`, Nova `max_new_tokens`,
 * Llama `max_gen_len`). The prompt fields (`messages`, `system`, `prompt`) are already there.
 */
export function bedrockRequestView(path: string, body: Record<string, unknown>): Record<string, unknown> {
  const api = bedrockApi('POST', path);
  if (api === undefined) return body;
  const config = isRecord(body['inferenceConfig']) ? body['inferenceConfig'] : {};
  const cap = [config['maxTokens'], config['max_new_tokens'], body['max_gen_len'], body['max_tokens']].find(
    (v) => typeof v === 'number',
  );
  return {
    ...body,
    model: bedrockModelId(path),
    stream: api === 'bedrock.converse-stream' || api === 'bedrock.invoke-stream',
    ...(cap === undefined ? {} : { max_tokens: cap }),
  };
}

type Family = 'anthropic' | 'nova' | 'llama' | 'mistral';

function familyOf(model: string, body: Record<string, unknown>): Family {
  if (model.includes('anthropic.') || typeof body['anthropic_version'] === 'string') return 'anthropic';
  if (model.includes('meta.llama')) return 'llama';
  if (model.includes('mistral.')) return 'mistral';
  return 'nova';
}

/** Answers a Bedrock runtime request (its HTTP errors too, in the service's own shape). */
export async function serveBedrock(exchange: Exchange): Promise<void> {
  const { reply, record } = exchange;
  if (reply.status >= 400) return sendBedrockError(exchange);
  const api = record.api;
  const model = bedrockModelId(record.path) ?? reply.model;
  if (api === 'bedrock.converse') return sendBody(exchange, converseBody(reply));
  if (api === 'bedrock.invoke') {
    const family = familyOf(model, exchange.body);
    return sendBody(exchange, invokeBody(family, exchange), tokenHeaders(reply.usage));
  }
  if (api === 'bedrock.converse-stream') return playEvents(exchange, converseEvents(reply), baseHeaders(exchange));
  if (api === 'bedrock.invoke-stream') return playEvents(exchange, invokeStreamEvents(familyOf(model, exchange.body), exchange), baseHeaders(exchange));
  exchange.reply = { ...reply, status: 404, error: { message: `fake-llm: no route ${record.method} ${record.path}` } };
  return sendBedrockError(exchange);
}

// Converse ---------------------------------------------------------------------------------

/** Converse `usage`: `inputTokens` leaves out cache reads and writes, as Anthropic's does. */
function converseUsage(u: ResolvedUsage): Record<string, unknown> {
  const input = uncached(u);
  return {
    inputTokens: input,
    outputTokens: u.outputTokens,
    totalTokens: input + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens,
    ...(u.cacheReadTokens > 0 ? { cacheReadInputTokens: u.cacheReadTokens } : {}),
    ...(u.cacheWriteTokens > 0 ? { cacheWriteInputTokens: u.cacheWriteTokens } : {}),
  };
}

function converseBody(reply: ResolvedReply): Record<string, unknown> {
  return {
    metrics: { latencyMs: 42 },
    output: { message: { content: [{ text: reply.text }], role: 'assistant' } },
    stopReason: converseStopReason(reply.finishReason),
    usage: wireUsage(reply, converseUsage),
  };
}

function converseEvents(reply: ResolvedReply): StreamEvents {
  return {
    preamble: () => [eventMessage('messageStart', { p: 'abcd', role: 'assistant' })],
    delta: (text) => [eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text }, p: 'abcdefgh' })],
    epilogue: () => [
      eventMessage('contentBlockStop', { contentBlockIndex: 0, p: 'abc' }),
      eventMessage('messageStop', { p: 'abcdef', stopReason: converseStopReason(reply.finishReason) }),
      eventMessage('metadata', { metrics: { latencyMs: 42 }, p: 'ab', usage: wireUsage(reply, converseUsage) }),
    ],
  };
}

// InvokeModel ------------------------------------------------------------------------------

/**
 * The `model` a Claude body names: the Anthropic model, not the Bedrock id or inference profile
 * called (`us.anthropic.claude-3-5-haiku-20241022-v1:0` answers `claude-3-5-haiku-20241022`),
 * unless the reply scripts one.
 */
function anthropicModel(reply: ResolvedReply, record: Exchange['record']): string {
  if (reply.model !== bedrockModelId(record.path)) return reply.model;
  return reply.model.replace(/^.*anthropic\./, '').replace(/-v\d+(?::\d+)?$/, '');
}

function invokeBody(family: Family, exchange: Exchange): Record<string, unknown> {
  const { reply, record, body } = exchange;
  const text = reply.text;
  switch (family) {
    case 'anthropic':
      return {
        id: reply.id ?? `msg_bdrk_fake${record.seq}`,
        type: 'message',
        role: 'assistant',
        model: anthropicModel(reply, record),
        content: [{ type: 'text', text }],
        stop_reason: anthropicStop(reply.finishReason),
        stop_sequence: null,
        usage: wireUsage(reply, anthropicUsage),
      };
    case 'nova':
      return {
        output: { message: { content: [{ text }], role: 'assistant' } },
        stopReason: converseStopReason(reply.finishReason),
        usage: wireUsage(reply, novaUsage),
      };
    case 'llama':
      return {
        generation: text,
        prompt_token_count: reply.usage.inputTokens,
        generation_token_count: reply.usage.outputTokens,
        stop_reason: plainStop(reply.finishReason),
      };
    case 'mistral':
      return Array.isArray(body['messages'])
        ? { choices: [{ index: 0, message: { role: 'assistant', content: text }, stop_reason: plainStop(reply.finishReason) }] }
        : { outputs: [{ text, stop_reason: plainStop(reply.finishReason) }] };
  }
}

function invokeStreamEvents(family: Family, exchange: Exchange): StreamEvents {
  const { reply, record, body } = exchange;
  const chunk = (json: Record<string, unknown>): Buffer[] => [
    eventMessage('chunk', { bytes: Buffer.from(JSON.stringify(json), 'utf8').toString('base64'), p: 'abcdefghij' }),
  ];
  const metrics = { 'amazon-bedrock-invocationMetrics': invocationMetrics(reply.usage) };
  let sent = 0;
  switch (family) {
    case 'anthropic':
      return {
        preamble: () => [
          ...chunk({
            type: 'message_start',
            message: {
              id: reply.id ?? `msg_bdrk_fake${record.seq}`,
              type: 'message',
              role: 'assistant',
              model: anthropicModel(reply, record),
              content: [],
              stop_reason: null,
              stop_sequence: null,
              usage: wireUsage(reply, (u) => ({ ...anthropicUsage(u), output_tokens: Math.min(1, u.outputTokens) })),
            },
          }),
          ...chunk({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        ],
        delta: (text) => chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
        epilogue: () => [
          ...chunk({ type: 'content_block_stop', index: 0 }),
          ...chunk({
            type: 'message_delta',
            delta: { stop_reason: anthropicStop(reply.finishReason), stop_sequence: null },
            usage: wireUsage(reply, (u) => ({ output_tokens: u.outputTokens })),
          }),
          ...chunk({ type: 'message_stop', ...metrics }),
        ],
      };
    case 'nova':
      return {
        preamble: () => chunk({ messageStart: { role: 'assistant' } }),
        delta: (text) => chunk({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } }),
        epilogue: () => [
          ...chunk({ contentBlockStop: { contentBlockIndex: 0 } }),
          ...chunk({ messageStop: { stopReason: converseStopReason(reply.finishReason) } }),
          ...chunk({ metadata: { usage: wireUsage(reply, novaUsage), metrics: {}, trace: {} }, ...metrics }),
        ],
      };
    case 'llama':
      return {
        preamble: () => [],
        delta: (text) => {
          sent += 1;
          return chunk({
            generation: text,
            prompt_token_count: sent === 1 ? reply.usage.inputTokens : null,
            generation_token_count: sent,
            stop_reason: null,
          });
        },
        epilogue: () =>
          chunk({
            generation: '',
            prompt_token_count: null,
            generation_token_count: reply.usage.outputTokens,
            stop_reason: plainStop(reply.finishReason),
            ...metrics,
          }),
      };
    case 'mistral': {
      const chat = Array.isArray(body['messages']);
      const piece = (text: string, stop: string | null): Record<string, unknown> =>
        chat
          ? { choices: [{ index: 0, message: { role: 'assistant', content: text }, stop_reason: stop }] }
          : { outputs: [{ text, stop_reason: stop }] };
      return {
        preamble: () => [],
        delta: (text) => chunk(piece(text, null)),
        epilogue: () => chunk({ ...piece('', plainStop(reply.finishReason)), ...metrics }),
      };
    }
  }
}

/** Anthropic `usage` on Bedrock: `input_tokens` without the cached parts. */
function anthropicUsage(u: ResolvedUsage): Record<string, unknown> {
  return {
    input_tokens: uncached(u),
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cacheReadTokens,
    output_tokens: u.outputTokens,
  };
}

function novaUsage(u: ResolvedUsage): Record<string, unknown> {
  const input = uncached(u);
  return {
    inputTokens: input,
    outputTokens: u.outputTokens,
    totalTokens: input + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens,
    cacheReadInputTokenCount: u.cacheReadTokens,
    cacheWriteInputTokenCount: u.cacheWriteTokens,
  };
}

function invocationMetrics(u: ResolvedUsage): Record<string, unknown> {
  return {
    inputTokenCount: uncached(u),
    outputTokenCount: u.outputTokens,
    invocationLatency: 42,
    firstByteLatency: 7,
    ...(u.cacheReadTokens > 0 ? { cacheReadInputTokenCount: u.cacheReadTokens } : {}),
    ...(u.cacheWriteTokens > 0 ? { cacheWriteInputTokenCount: u.cacheWriteTokens } : {}),
  };
}

/** InvokeModel's usage headers, which every model family's response carries. */
function tokenHeaders(u: ResolvedUsage): Record<string, string> {
  return {
    'x-amzn-bedrock-input-token-count': String(uncached(u)),
    'x-amzn-bedrock-output-token-count': String(u.outputTokens),
    'x-amzn-bedrock-invocation-latency': '42',
    ...(u.cacheReadTokens > 0 ? { 'x-amzn-bedrock-cache-read-input-token-count': String(u.cacheReadTokens) } : {}),
    ...(u.cacheWriteTokens > 0 ? { 'x-amzn-bedrock-cache-write-input-token-count': String(u.cacheWriteTokens) } : {}),
  };
}

function uncached(u: ResolvedUsage): number {
  return Math.max(0, u.inputTokens - u.cacheReadTokens - u.cacheWriteTokens);
}

// Stop reasons -------------------------------------------------------------------------------

const CONVERSE_STOP: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'content_filtered',
};
const ANTHROPIC_STOP: Record<string, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', content_filter: 'refusal' };

function converseStopReason(reason: string): string {
  return CONVERSE_STOP[reason] ?? reason;
}

function anthropicStop(reason: string): string {
  return ANTHROPIC_STOP[reason] ?? reason;
}

/** Llama and Mistral say `stop` and `length`. */
function plainStop(reason: string): string {
  return reason === 'end_turn' ? 'stop' : reason === 'max_tokens' ? 'length' : reason;
}

// Sending ------------------------------------------------------------------------------------

const ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

function baseHeaders(exchange: Exchange): Record<string, string> {
  return { 'x-amzn-requestid': exchange.record.id, ...exchange.reply.headers };
}

function sendBody(exchange: Exchange, body: unknown, extra: Record<string, string> = {}): void {
  exchange.channel.send(200, { 'content-type': 'application/json', ...extra, ...baseHeaders(exchange) }, JSON.stringify(body));
}

/** An HTTP error as the service sends it: `x-amzn-errortype` names the exception, the body has its message. */
function sendBedrockError(exchange: Exchange): void {
  const { reply } = exchange;
  const type = reply.error?.type ?? ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? 'InternalServerException' : 'ValidationException');
  const message = reply.error?.message ?? `fake-llm: scripted HTTP ${reply.status}`;
  exchange.channel.send(
    reply.status,
    {
      'content-type': 'application/json',
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      ...baseHeaders(exchange),
    },
    JSON.stringify({ message }),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
