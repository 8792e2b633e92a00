export { FetchInstrumentation } from './instrumentation';
export type { FetchBaseUrl, FetchInstrumentationConfig, WireProtocol, WireSurface } from './types';
