// Names other producers write that the cost processor reads to tell a model call from
// other spans and to find its provider and model. costtrace never writes them.

import {
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION,
} from './values';

/** OpenInference (Arize Phoenix): the span's kind; `LLM` and `EMBEDDING` are model calls. */
export const OPENINFERENCE_SPAN_KIND = 'openinference.span.kind' as const;
export const OPENINFERENCE_SPAN_KIND_VALUE_LLM = 'LLM';
export const OPENINFERENCE_SPAN_KIND_VALUE_EMBEDDING = 'EMBEDDING';
/** OpenInference: the AI system (`openai`, `anthropic`). */
export const OPENINFERENCE_LLM_SYSTEM = 'llm.system';
/** OpenInference: the hosting provider when it differs from the system (`azure`). */
export const OPENINFERENCE_LLM_PROVIDER = 'llm.provider';
/** OpenInference: the model used. */
export const OPENINFERENCE_LLM_MODEL_NAME = 'llm.model_name';
/** OpenInference: the model asked for, when it can differ from the one that answered. */
export const OPENINFERENCE_LLM_REQUEST_MODEL_NAME = 'llm.request.model_name';
/** OpenInference: the model that answered. */
export const OPENINFERENCE_LLM_RESPONSE_MODEL_NAME = 'llm.response.model_name';

/** Vercel AI SDK: the operation (`ai.generateText.doGenerate`); the span name is the same. */
export const VERCEL_AI_OPERATION_ID = 'ai.operationId';
/** Vercel AI SDK: the provider (`openai.chat`, `anthropic.messages`). */
export const VERCEL_AI_MODEL_PROVIDER = 'ai.model.provider';
/** Vercel AI SDK: the model asked for. */
export const VERCEL_AI_MODEL_ID = 'ai.model.id';
/** Vercel AI SDK: the model that answered. */
export const VERCEL_AI_RESPONSE_MODEL = 'ai.response.model';

/**
 * Vercel AI SDK operations that are one provider call each. The outer `ai.generateText`,
 * `ai.streamText`, `ai.embedMany`… spans sum the usage of their steps and are never priced.
 */
export const VERCEL_AI_CALL_OPERATIONS: ReadonlyMap<string, string> = new Map([
  ['ai.generateText.doGenerate', GEN_AI_OPERATION_NAME_VALUE_CHAT],
  ['ai.streamText.doStream', GEN_AI_OPERATION_NAME_VALUE_CHAT],
  ['ai.generateObject.doGenerate', GEN_AI_OPERATION_NAME_VALUE_CHAT],
  ['ai.streamObject.doStream', GEN_AI_OPERATION_NAME_VALUE_CHAT],
  ['ai.embed.doEmbed', GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS],
  ['ai.embedMany.doEmbed', GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS],
]);

/**
 * Vercel AI SDK (3 to 6, and 7's `LegacyOpenTelemetry`): the app's `experimental_telemetry.functionId`,
 * written on every span of the call; on an agent operation's span it names the agent.
 */
export const VERCEL_AI_TELEMETRY_FUNCTION_ID = 'ai.telemetry.functionId';

/**
 * Vercel AI SDK operations that are one agent turn (a tool loop of model calls, or one structured
 * answer): with a `functionId`, such a span is the agent `functionId` names. Its `do*` steps are the calls.
 */
export const VERCEL_AI_AGENT_OPERATIONS: ReadonlySet<string> = new Set([
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
]);

/** OpenLLMetry (Traceloop): the request type of a call span (`chat`, `completion`, `embedding`). */
export const OPENLLMETRY_LLM_REQUEST_TYPE = 'llm.request.type';

/** OpenLLMetry request types that are one model call, as the GenAI operation they stand for. */
export const OPENLLMETRY_CALL_REQUEST_TYPES: ReadonlyMap<string, string> = new Map([
  ['chat', GEN_AI_OPERATION_NAME_VALUE_CHAT],
  ['completion', GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION],
  ['embedding', GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS],
]);
