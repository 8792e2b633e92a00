export { RecordAllSampler } from './record-all-sampler';
export type { SamplerLike } from './record-all-sampler';
export { registerCostTracing } from './register-cost-tracing';
export type { CostTracing, RegisterOptions } from './pipeline';
export { canUseSyncHooks, HOOKED_MODULES, registerEsmLoaderHook } from './module-hooks';
export { FileSpanExporter, toOtlpJsonLine } from './file-span-exporter';
export type { FileSpanExporterOptions } from './file-span-exporter';
