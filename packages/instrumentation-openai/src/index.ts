export { OpenAIInstrumentation } from './instrumentation';
export type { OpenAIInstrumentationConfig } from './types';
export { ChatCompletionsCall } from './chat-completions';
export { CompletionsCall } from './completions';
export { EmbeddingsCall } from './embeddings';
export { ResponsesCall } from './responses';
export { TokenCounter } from './token-counter';
