export { frameworkInstrumentations } from './framework-instrumentations';
export { OpenAIAgentsInstrumentation, OPENAI_AGENTS_SUPPORTED_VERSIONS } from './openai-agents';
export { MastraInstrumentation, MASTRA_SUPPORTED_VERSIONS } from './mastra';
