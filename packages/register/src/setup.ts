export { RecordAllSampler } from './record-all-sampler';
export type { SamplerLike } from './record-all-sampler';
export { registerCostTracing } from './register-cost-tracing';
export type { CostTracing, RegisterOptions } from './pipeline';
export { canUseSyncHooks, HOOKED_MODULES, registerEsmLoaderHook } from './module-hooks';
