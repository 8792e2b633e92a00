export { AnthropicInstrumentation } from './instrumentation';
export type { AnthropicInstrumentationConfig, SdkSpansMode } from './types';
export { SUPPORTED_VERSIONS } from './version';
export { MessagesCodec } from './messages-codec';
export { OutputEstimate } from './estimate-tokens';
