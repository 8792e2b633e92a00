export { FRAMEWORK_ESM_MODULES, frameworkInstrumentations } from './framework-instrumentations';
export { LangChainInstrumentation, LANGCHAIN_SUPPORTED_VERSIONS } from './langchain';
export { OpenAIAgentsInstrumentation, OPENAI_AGENTS_SUPPORTED_VERSIONS } from './openai-agents';
