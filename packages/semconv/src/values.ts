// Enumerated attribute values. GenAI values carry the semconv version they were
// copied from; the costtrace ones are ours.

/** Chat completion (OpenAI Chat Completions and Responses, Anthropic Messages). As of semconv 1.27.0. */
export const GEN_AI_OPERATION_NAME_VALUE_CHAT = 'chat' as const;
/** Legacy text completion (OpenAI Completions). As of semconv 1.27.0. */
export const GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION = 'text_completion' as const;
/** Multimodal content generation (Gemini `generateContent`). Semconv 1.33.0. */
export const GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT = 'generate_content' as const;
/** Embeddings. As of semconv 1.27.0. */
export const GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS = 'embeddings' as const;
/** Retrieval (vector store search). Semconv-genai main registry, version unverified. */
export const GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL = 'retrieval' as const;
/** Agent creation. Semconv 1.31.0. */
export const GEN_AI_OPERATION_NAME_VALUE_CREATE_AGENT = 'create_agent' as const;
/** Agent invocation: an agent span. Semconv 1.33.0. */
export const GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT = 'invoke_agent' as const;
/** Tool execution. As of semconv 1.37.0. */
export const GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL = 'execute_tool' as const;
/** Workflow invocation: a run span. Semconv-genai main registry, version unverified. */
export const GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW = 'invoke_workflow' as const;

/** OpenAI. As of semconv 1.37.0 (`gen_ai.provider.name`). */
export const GEN_AI_PROVIDER_NAME_VALUE_OPENAI = 'openai' as const;
/** Anthropic. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC = 'anthropic' as const;
/** Gemini API (`generativelanguage.googleapis.com`, AI Studio). As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI = 'gcp.gemini' as const;
/** Vertex AI (`aiplatform.googleapis.com`). As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_GCP_VERTEX_AI = 'gcp.vertex_ai' as const;
/** Any Google generative AI endpoint, when the backend is unknown. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_GCP_GEN_AI = 'gcp.gen_ai' as const;
/** AWS Bedrock. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_AWS_BEDROCK = 'aws.bedrock' as const;
/** Azure OpenAI. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI = 'azure.ai.openai' as const;
/** Azure AI Inference. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_INFERENCE = 'azure.ai.inference' as const;
/** IBM watsonx.ai. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_IBM_WATSONX_AI = 'ibm.watsonx.ai' as const;
/** Cohere. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_COHERE = 'cohere' as const;
/** xAI. As of semconv 1.37, unverified (`gen_ai.system` had `xai`). */
export const GEN_AI_PROVIDER_NAME_VALUE_X_AI = 'x_ai' as const;
/** DeepSeek. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_DEEPSEEK = 'deepseek' as const;
/** Groq. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_GROQ = 'groq' as const;
/** Mistral AI. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_MISTRAL_AI = 'mistral_ai' as const;
/** Perplexity. As of semconv 1.37.0. */
export const GEN_AI_PROVIDER_NAME_VALUE_PERPLEXITY = 'perplexity' as const;
/** Moonshot AI. Semconv-genai main (#99), unreleased. */
export const GEN_AI_PROVIDER_NAME_VALUE_MOONSHOT_AI = 'moonshot_ai' as const;

/** Input tokens, on `gen_ai.client.token.usage`. As of semconv 1.27.0. */
export const GEN_AI_TOKEN_TYPE_VALUE_INPUT = 'input' as const;
/** Output tokens, on `gen_ai.client.token.usage`. As of semconv 1.27.0. */
export const GEN_AI_TOKEN_TYPE_VALUE_OUTPUT = 'output' as const;

/** Plain text output. Semconv 1.31.0. */
export const GEN_AI_OUTPUT_TYPE_VALUE_TEXT = 'text' as const;
/** JSON output. Semconv 1.31.0. */
export const GEN_AI_OUTPUT_TYPE_VALUE_JSON = 'json' as const;
/** Image output. Semconv 1.31.0. */
export const GEN_AI_OUTPUT_TYPE_VALUE_IMAGE = 'image' as const;
/** Speech output. Semconv 1.31.0. */
export const GEN_AI_OUTPUT_TYPE_VALUE_SPEECH = 'speech' as const;

/** The cost was computed locally from price data (costtrace's case). Semconv-genai main (#443), unreleased. */
export const GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL = 'local' as const;
/** The cost was present in the provider's response. Semconv-genai main (#443), unreleased. */
export const GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER = 'provider' as const;
/** The only currency costtrace writes. */
export const GEN_AI_USAGE_COST_CURRENCY_VALUE_USD = 'USD' as const;

/** The finish reason of a cancelled, aborted or failed call (`gen_ai.response.finish_reasons=["error"]`). */
export const FINISH_REASON_VALUE_ERROR = 'error' as const;

/** `error.type` of a call a budget refused or aborted: the error's class name. */
export const ERROR_TYPE_VALUE_BUDGET_EXCEEDED_ERROR = 'BudgetExceededError' as const;

/** The call was priced from the provider's usage and the catalog. */
export const PRICING_STATUS_VALUE_PRICED = 'priced' as const;
/** The model has no price: never a silent $0. */
export const PRICING_STATUS_VALUE_UNPRICED = 'unpriced' as const;
/** Priced from partial usage (an aborted stream, a stream without usage) or estimated counts. */
export const PRICING_STATUS_VALUE_ESTIMATED = 'estimated' as const;
/** The usage cannot be right (negative, non-integer, cache above input); `costtrace.pricing.reason` says why. */
export const PRICING_STATUS_VALUE_INVALID = 'invalid' as const;
/** An inner span of a call an outer span already counts. */
export const PRICING_STATUS_VALUE_DUPLICATE = 'duplicate' as const;

/** The call ran to its end. */
export const CALL_OUTCOME_VALUE_COMPLETED = 'completed' as const;
/** The caller broke out of the stream or aborted the call. */
export const CALL_OUTCOME_VALUE_CANCELLED = 'cancelled' as const;
/** A budget refused the call before it was sent. */
export const CALL_OUTCOME_VALUE_BUDGET_REFUSED = 'budget_refused' as const;
/** A budget aborted the call in flight. */
export const CALL_OUTCOME_VALUE_BUDGET_ABORTED = 'budget_aborted' as const;
/** The call failed. */
export const CALL_OUTCOME_VALUE_ERROR = 'error' as const;

/** Passing the limit aborts the scope's in-flight calls and refuses new ones (default). */
export const BUDGET_ON_EXCEED_VALUE_ABORT = 'abort' as const;
/** Passing the limit only records the event and metric. */
export const BUDGET_ON_EXCEED_VALUE_WARN = 'warn' as const;
