export { CostSpanProcessor } from './cost-span-processor';
export type { CostReadableSpan, CostSpan, CostSpanProcessorOptions } from './types';
