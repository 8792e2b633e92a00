// Names from the OpenTelemetry GenAI semantic conventions, copied rather than imported:
// `@opentelemetry/semantic-conventions` exports them only from its unstable `incubating`
// entry point, which asks to be copied, and costtrace never imports it at runtime.
// Each name says which semconv version it was copied from. Since 1.37 the GenAI
// conventions live in open-telemetry/semantic-conventions-genai; "semconv-genai main"
// marks names merged there but not yet in a numbered release.

/**
 * The name of the operation: `chat`, `text_completion`, `embeddings`,
 * `invoke_agent`, `invoke_workflow`, `execute_tool`, …
 * (see `GEN_AI_OPERATION_NAME_VALUE_*`). As of semconv 1.27.0.
 */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name' as const;

/**
 * The GenAI provider as the instrumentation knows it: `openai`, `anthropic`,
 * `aws.bedrock`, … (see `GEN_AI_PROVIDER_NAME_VALUE_*`). Semconv 1.37.0, which
 * renamed `gen_ai.system` to it.
 */
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name' as const;

/**
 * Legacy name of {@link ATTR_GEN_AI_PROVIDER_NAME}; read, never written.
 * As of semconv 1.27.0; deprecated in 1.37.0.
 */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system' as const;

/** The model the request asked for. As of semconv 1.27.0. */
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model' as const;

/** The most tokens the model may generate (`max_tokens`, `max_completion_tokens`, …). As of semconv 1.27.0. */
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens' as const;

/** The request's temperature. As of semconv 1.27.0. */
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature' as const;

/** The number of candidate completions asked for (`n`), when not 1. Semconv 1.31.0. */
export const ATTR_GEN_AI_REQUEST_CHOICE_COUNT = 'gen_ai.request.choice.count' as const;

/** Whether the request asked for a stream. As of semconv-genai main (in its registry), version unverified. */
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream' as const;

/** The model that answered; the catalog key pricing prefers. As of semconv 1.27.0. */
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model' as const;

/** The provider's id of the completion. As of semconv 1.27.0. */
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id' as const;

/** Why the model stopped, one per choice (`["stop"]`, `["error"]`). As of semconv 1.27.0. */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons' as const;

/**
 * All input tokens, cache reads and cache writes included (the registry: "SHOULD
 * include all types of input tokens, including cached tokens"; that note is
 * from semconv 1.40.0). As of semconv 1.27, unverified; it replaced `gen_ai.usage.prompt_tokens`.
 */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens' as const;

/** All output tokens, reasoning included. As of semconv 1.27, unverified. */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens' as const;

/** Legacy input tokens; read, never written. Semconv before 1.27, unverified; OpenLLMetry still writes it. */
export const ATTR_GEN_AI_USAGE_PROMPT_TOKENS = 'gen_ai.usage.prompt_tokens' as const;

/** Legacy output tokens; read, never written. Semconv before 1.27, unverified; OpenLLMetry still writes it. */
export const ATTR_GEN_AI_USAGE_COMPLETION_TOKENS = 'gen_ai.usage.completion_tokens' as const;

/**
 * Input tokens served from a provider-managed cache; part of
 * {@link ATTR_GEN_AI_USAGE_INPUT_TOKENS}. Semconv 1.40.0 (semantic-conventions
 * PR #3163; `@opentelemetry/semantic-conventions@1.40.0` exports it).
 */
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens' as const;

/**
 * Input tokens written to a provider-managed cache; part of
 * {@link ATTR_GEN_AI_USAGE_INPUT_TOKENS}. Semconv 1.40.0 (PR #3163); renamed to
 * {@link ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS} in semconv-genai main (#440).
 * Read, never written.
 */
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens' as const;

/**
 * Input tokens written to a provider-managed cache; part of
 * {@link ATTR_GEN_AI_USAGE_INPUT_TOKENS}. Semconv-genai main (#440, the rename of
 * `…cache_creation.input_tokens`), not yet in a numbered release;
 * `@anthropic-ai/sdk` 1.12 already writes it.
 */
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.usage.cache_write.input_tokens' as const;

/**
 * Output tokens spent on reasoning; part of {@link ATTR_GEN_AI_USAGE_OUTPUT_TOKENS}.
 * Semantic-conventions PR #3383 (merged 2026-02); as of semconv 1.40, unverified.
 */
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens' as const;

/** Input tokens the provider reported as audio. Semconv-genai main (#440), unreleased. */
export const ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS = 'gen_ai.usage.audio.input_tokens' as const;

/** Output tokens the provider reported as audio. Semconv-genai main (#440), unreleased. */
export const ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS = 'gen_ai.usage.audio.output_tokens' as const;

/** The call's own cost. Semconv-genai main (#443, the cost proposal), unreleased. */
export const ATTR_GEN_AI_USAGE_COST_AMOUNT = 'gen_ai.usage.cost.amount' as const;

/** The currency of {@link ATTR_GEN_AI_USAGE_COST_AMOUNT}; costtrace writes `USD`. Semconv-genai main (#443), unreleased. */
export const ATTR_GEN_AI_USAGE_COST_CURRENCY = 'gen_ai.usage.cost.currency' as const;

/**
 * Where the cost came from: `local` (computed from price data at recording time)
 * or `provider` (present in the response). Semconv-genai main (#443), unreleased.
 */
export const ATTR_GEN_AI_USAGE_COST_SOURCE = 'gen_ai.usage.cost.source' as const;

/** Human-readable name of the agent. Semconv 1.31.0 (agent conventions). */
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name' as const;

/** Unique id of the agent. Semconv 1.31.0 (agent conventions). */
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id' as const;

/** Id of the conversation (session, thread). Semconv 1.34.0. */
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id' as const;

/** Name of the tool an `execute_tool` span runs. Semconv 1.31.0 (agent conventions), unverified. */
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name' as const;

/**
 * Chat history sent to the model, as a JSON string of the GenAI message schema.
 * Written only when the user opts in to content capture. Semconv 1.37.0.
 */
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages' as const;

/** Messages the model returned, as a JSON string. Opt-in content capture only. Semconv 1.37.0. */
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages' as const;

/** System instructions sent apart from the chat history, as a JSON string. Opt-in only. Semconv 1.37.0. */
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions' as const;

/** The content type requested: `text`, `json`, `image`, `speech`. Semconv 1.31.0. */
export const ATTR_GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type' as const;

/** On `gen_ai.client.token.usage` points: `input` or `output`. As of semconv 1.27.0. */
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type' as const;

/** The service tier OpenAI was asked for. Semconv 1.37.0 (renamed from `gen_ai.openai.request.service_tier`). */
export const ATTR_OPENAI_REQUEST_SERVICE_TIER = 'openai.request.service_tier' as const;

/** The service tier OpenAI served the call on. Semconv 1.37.0 (renamed from `gen_ai.openai.response.service_tier`). */
export const ATTR_OPENAI_RESPONSE_SERVICE_TIER = 'openai.response.service_tier' as const;

/** Legacy name of {@link ATTR_OPENAI_REQUEST_SERVICE_TIER}; read, never written. Deprecated in semconv 1.37.0. */
export const ATTR_GEN_AI_OPENAI_REQUEST_SERVICE_TIER = 'gen_ai.openai.request.service_tier' as const;

/** Legacy name of {@link ATTR_OPENAI_RESPONSE_SERVICE_TIER}; read, never written. Deprecated in semconv 1.37.0. */
export const ATTR_GEN_AI_OPENAI_RESPONSE_SERVICE_TIER = 'gen_ai.openai.response.service_tier' as const;

/** The class of the error that ended the operation (`BudgetExceededError`). Stable general attribute. */
export const ATTR_ERROR_TYPE = 'error.type' as const;

/** Host of the model server. Stable general attribute. */
export const ATTR_SERVER_ADDRESS = 'server.address' as const;

/** Port of the model server. Stable general attribute. */
export const ATTR_SERVER_PORT = 'server.port' as const;
