import type { FakeApi, Reply } from './types';
import type { ResolvedReply, ResolvedUsage } from './internal-types';
import { estimateInputTokens } from './estimate-tokens';
import { countWords, defaultText, splitText } from './split-text';
import { resolveToolCalls, toolCallTokens } from './tool-calls';

/** Output tokens of a reply that scripts neither `text` nor `outputTokens`, per choice. */
export const DEFAULT_OUTPUT_TOKENS = 16;

/** The legacy completions API's `max_tokens` when the request sets none. */
const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

/** Model reported when neither the reply nor the request names one. */
const FALLBACK_MODEL = 'fake-model';

/** The request's output cap, whichever name its API gives it (Gemini: `generationConfig.maxOutputTokens`). */
function maxTokensOf(body: Record<string, unknown>): number | undefined {
  const config = body['generationConfig'];
  const gemini = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  for (const value of [body['max_completion_tokens'], body['max_tokens'], body['max_output_tokens'], gemini['maxOutputTokens']]) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : fallback;
}

/**
 * Fills in everything a reply leaves out from the request: model, usage, text,
 * deltas and finish reason. Deterministic: the same request and reply give the
 * same result. `pathModel` is the model a Gemini path names.
 */
export function resolveReply(
  reply: Reply,
  api: FakeApi,
  body: Record<string, unknown>,
  pathModel?: string,
): ResolvedReply {
  const scripted = reply.usage ?? {};
  const choices =
    (api === 'chat.completions' || api === 'completions') && typeof body['n'] === 'number' && body['n'] > 1 ? Math.floor(body['n']) : 1;

  const cacheReadTokens = nonNegative(scripted.cacheReadTokens, 0);
  const cacheWrite1hTokens = nonNegative(scripted.cacheWrite1hTokens, 0);
  const cacheWriteTokens = nonNegative(
    scripted.cacheWriteTokens,
    nonNegative(scripted.cacheWrite5mTokens, 0) + cacheWrite1hTokens,
  );
  const cacheWrite5mTokens = nonNegative(scripted.cacheWrite5mTokens, Math.max(0, cacheWriteTokens - cacheWrite1hTokens));
  const inputTokens = nonNegative(
    scripted.inputTokens,
    (api === 'embeddings' ? estimateInputTokens({ input: body['input'] }) : estimateInputTokens(body)) +
      cacheReadTokens +
      cacheWriteTokens,
  );

  const reasoningTokens = nonNegative(scripted.reasoningTokens, 0);
  const toolCalls = resolveToolCalls(reply.toolCalls);
  const callTokens = toolCallTokens(toolCalls);
  const scriptedText = reply.text ?? (toolCalls.length > 0 ? '' : undefined);
  const wanted = nonNegative(
    scripted.outputTokens,
    scriptedText !== undefined
      ? (countWords(scriptedText) + callTokens) * choices + reasoningTokens
      : DEFAULT_OUTPUT_TOKENS * choices,
  );
  const max = maxTokensOf(body) ?? (api === 'completions' ? COMPLETIONS_DEFAULT_MAX_TOKENS : undefined);
  const cap = max === undefined ? Number.POSITIVE_INFINITY : max * choices;
  const capped = wanted > cap;
  const outputTokens = api === 'embeddings' ? 0 : Math.min(wanted, cap);

  const usage: ResolvedUsage = {
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    cacheWrite5mTokens,
    cacheWrite1hTokens,
    reasoningTokens: Math.min(reasoningTokens, outputTokens),
  };

  const text =
    scriptedText ?? defaultText(Math.ceil(Math.max(0, outputTokens - usage.reasoningTokens) / choices));
  const requestModel = pathModel ?? (typeof body['model'] === 'string' ? body['model'] : undefined);
  const status = reply.status ?? (reply.error ? 500 : 200);

  return {
    model: reply.model ?? requestModel ?? FALLBACK_MODEL,
    id: reply.id,
    text,
    deltas: splitText(text, reply.chunks),
    toolCalls,
    usage,
    hasRawUsage: 'rawUsage' in reply,
    rawUsage: reply.rawUsage,
    finishReason: reply.finishReason ?? (capped ? 'length' : toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    delayMs: nonNegative(reply.delayMs, 0),
    firstChunkDelayMs: nonNegative(reply.firstChunkDelayMs, nonNegative(reply.chunkDelayMs, 0)),
    chunkDelayMs: nonNegative(reply.chunkDelayMs, 0),
    status,
    error: reply.error,
    rawBody: reply.rawBody,
    disconnectAfterChunks: reply.disconnectAfterChunks,
    streamError: reply.streamError,
    headers: { ...reply.headers },
    serviceTier: reply.serviceTier,
    dimensions: reply.dimensions,
    choices,
  };
}
