export { BedrockInstrumentation } from './instrumentation';
export type { BedrockInstrumentationConfig } from './types';
export { SUPPORTED_VERSIONS } from './version';
