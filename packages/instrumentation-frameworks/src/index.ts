export { FRAMEWORK_ESM_MODULES, frameworkInstrumentations } from './framework-instrumentations';
export { LangChainInstrumentation, LANGCHAIN_SUPPORTED_VERSIONS } from './langchain';
export { OpenAIAgentsInstrumentation, OPENAI_AGENTS_SUPPORTED_VERSIONS } from './openai-agents';
export { MastraInstrumentation, MASTRA_SUPPORTED_VERSIONS } from './mastra';
export { AiSdkInstrumentation, AI_SDK_SUPPORTED_VERSIONS, AI_SDK_TELEMETRY_CHANNEL } from './ai-sdk';
